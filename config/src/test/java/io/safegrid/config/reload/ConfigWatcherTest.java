package io.safegrid.config.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.config.ConfigException;
import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigWatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Path file;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<Deployment> seen = new CopyOnWriteArrayList<>();
    private ConfigWatcher watcher;

    private static String county(String name) {
        return "name: " + name + "\ngrid: {id: puxian, kind: county}\n";
    }

    @BeforeEach
    void writeGoodFile() throws IOException {
        file = dir.resolve("county.yaml");
        write(county("v1"));
    }

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** Long poll, so changes in these tests are found by the file-system watch. */
    private ConfigWatcher start(Duration poll) {
        watcher = new ConfigWatcher(file, registry, new DeploymentLoader(k -> null), Duration.ofMillis(50), poll);
        watcher.onChange(seen::add);
        watcher.start();
        return watcher;
    }

    private void write(String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private double reloads(String result) {
        return registry.get("safegrid.config.reloads").tag("result", result).counter().count();
    }

    @Test
    void validChangeIsAppliedAndListenersAreCalled() throws IOException {
        start(Duration.ofHours(1));
        assertThat(watcher.current().name()).isEqualTo("v1");
        double before = registry.get("safegrid.config.last.success").gauge().value();
        assertThat(before).isPositive();

        write(county("v2"));

        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(seen.get(0).name()).isEqualTo("v2");
        assertThat(watcher.current()).isSameAs(seen.get(0));
        assertThat(watcher.current().source()).isEqualTo(file.toAbsolutePath());
        assertThat(reloads("ok")).isEqualTo(1);
        assertThat(reloads("invalid")).isZero();
        assertThat(registry.get("safegrid.config.last.success").gauge().value()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void invalidChangeKeepsTheLastGoodConfigAndIsCountedOnce() throws IOException {
        start(Duration.ofMillis(100));
        Deployment good = watcher.current();

        write(county("v2") + "sensors: [{id: s1}]\n");

        await().atMost(WAIT).until(() -> reloads("invalid") == 1);
        assertThat(watcher.current()).isSameAs(good);
        assertThat(seen).isEmpty();
        assertThat(registry.get("safegrid.config.errors").gauge().value()).isEqualTo(4); // site, metric, class, protocol required
        // the fast poll keeps looking at the same bad content without counting it again
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> reloads("invalid") == 1);

        write(county("v3"));
        // listeners are called just after current() changes: wait for them
        await().atMost(WAIT).until(() -> !seen.isEmpty());
        assertThat(watcher.current().name()).isEqualTo("v3");
        assertThat(seen).extracting(Deployment::name).containsExactly("v3");
        assertThat(registry.get("safegrid.config.errors").gauge().value()).isZero();
    }

    @Test
    void deletedFileKeepsTheConfigUntilItIsBack() throws IOException {
        start(Duration.ofMillis(200));
        Files.delete(file);
        await().atMost(WAIT).until(() -> reloads("missing") == 1);
        assertThat(watcher.current().name()).isEqualTo("v1");

        // put back whole, as a restore from a copy does: the fast poll must not read a half-written file here
        Path copy = dir.resolve(".county.yaml.restore");
        Files.writeString(copy, county("restored"), StandardCharsets.UTF_8);
        Files.move(copy, file, StandardCopyOption.ATOMIC_MOVE);
        // listeners are called just after current() changes: wait for them
        await().atMost(WAIT).until(() -> !seen.isEmpty());
        assertThat(watcher.current().name()).isEqualTo("restored");
        assertThat(seen).extracting(Deployment::name).containsExactly("restored");
        assertThat(reloads("invalid")).isZero();
    }

    @Test
    void restoringTheSameContentIsNotAChangeForListeners() throws IOException {
        start(Duration.ofMillis(100));
        Files.delete(file);
        await().atMost(WAIT).until(() -> reloads("missing") == 1);
        Deployment before = watcher.current();
        write(county("v1"));
        // the watcher reads it back (fast poll), sees the content in force and leaves everything as is
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> reloads("ok") == 0);
        assertThat(seen).isEmpty();
        assertThat(watcher.current()).isSameAs(before);
        write(county("v2"));
        // the counter moves just before the listeners are called: wait for them
        await().atMost(WAIT).until(() -> !seen.isEmpty());
        assertThat(reloads("ok")).isEqualTo(1);
        assertThat(seen).extracting(Deployment::name).containsExactly("v2");
    }

    @Test
    void undoingABadEditClearsTheErrorGauge() throws IOException {
        start(Duration.ofMillis(100));
        write("name: [broken\n");
        await().atMost(WAIT).until(() -> reloads("invalid") == 1);
        assertThat(registry.get("safegrid.config.errors").gauge().value()).isEqualTo(1);
        write(county("v1"));
        await().atMost(WAIT).until(() -> registry.get("safegrid.config.errors").gauge().value() == 0);
        assertThat(seen).isEmpty();
        assertThat(reloads("ok")).isZero();
    }

    @Test
    void editorStyleAtomicReplaceIsPickedUp() throws IOException {
        start(Duration.ofHours(1));
        Path tmp = dir.resolve(".county.yaml.swp");
        Files.writeString(tmp, county("replaced"));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(WAIT).until(() -> watcher.current().name().equals("replaced"));
    }

    @Test
    void aFailingListenerDoesNotStopTheOthers() throws IOException {
        watcher = new ConfigWatcher(file, registry, new DeploymentLoader(k -> null), Duration.ofMillis(50), Duration.ofHours(1));
        watcher.onChange(d -> {
            throw new IllegalStateException("listener bug");
        });
        watcher.onChange(seen::add);
        watcher.start();
        write(county("v2"));
        await().atMost(WAIT).until(() -> seen.size() == 1);
        assertThat(watcher.current().name()).isEqualTo("v2");
    }

    @Test
    void checkNowReloadsWithoutWaitingForEvents() throws IOException {
        watcher = new ConfigWatcher(file, registry, new DeploymentLoader(k -> null), Duration.ofMillis(50), Duration.ofHours(1));
        watcher.onChange(seen::add); // not started: no watch, no poll
        assertThat(watcher.checkNow()).isFalse();
        write(county("v2"));
        assertThat(watcher.checkNow()).isTrue();
        assertThat(watcher.current().name()).isEqualTo("v2");
        assertThat(seen).hasSize(1);
        assertThat(watcher.checkNow()).as("same content again").isFalse();
    }

    @Test
    void aBadFileAtStartupThrowsWithEveryError() throws IOException {
        write("name: x\ngrid: {id: X, kind: town}\n");
        assertThatThrownBy(() -> new ConfigWatcher(file, registry))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).hasSize(2));
        assertThatThrownBy(() -> new ConfigWatcher(dir.resolve("missing.yaml"), registry))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no such file");
    }
}
