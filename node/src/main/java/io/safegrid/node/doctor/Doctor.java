package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/** Runs checks over a deployment: all of them for {@code safegrid doctor}, the decisive few before a node starts. */
public final class Doctor {
    private final List<Check> checks;

    private Doctor(List<Check> checks) { this.checks = checks; }

    /** What {@code safegrid doctor} looks at. */
    public static Doctor full() {
        return new Doctor(List.of(new DataDirCheck(), new DiskCheck(), new PortCheck(), new ClockCheck(),
                new RecordCheck(true), new KafkaCheck(), new RealtimeCheck(), new DatabaseCheck(true)));
    }

    /** What stops a node before it starts: its data directory, its ports, a record URL that is wrong, its alarm store. */
    public static Doctor beforeStart() {
        return new Doctor(List.of(new DataDirCheck(), new PortCheck(), new RecordCheck(false), new DatabaseCheck(false)));
    }

    public int size() { return checks.size(); }

    /** Runs every check; {@code progress} hears (index from 1, title key) before each. */
    public List<Finding> run(Deployment d, Set<String> roles, BiConsumer<Integer, String> progress) {
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Check c = checks.get(i);
            progress.accept(i + 1, c.titleKey());
            out.addAll(c.run(d, roles));
        }
        return out;
    }
}
