package io.safegrid.alerting.alarm;

import io.safegrid.config.ConfigSource;
import io.safegrid.model.Level;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridKind;
import io.safegrid.model.grid.GridNode;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's own "storage trouble" alarm, at the county (so the county duty officer hears of it):
 * raised while the alarm store cannot write or the disk is below its refusing level, cleared when
 * neither holds. It goes through the alarm lifecycle like any finding, so it is notified (marked
 * not yet stored while the store is down) and reconciled into the store with the rest.
 */
final class StorageTrouble {
    private static final Logger LOG = LoggerFactory.getLogger(StorageTrouble.class);
    static final String SOURCE = "safegrid-node";
    static final String RULE = "storage-trouble";

    enum Cause {
        ALARM_STORE_DOWN("告警库无法写入，告警暂存内存", "the alarm store cannot write; alarms are held in memory"),
        DISK_FULL("数据盘空间低于拒收水位", "the data disk is below its refusing level");

        final String zh;
        final String en;

        Cause(String zh, String en) {
            this.zh = zh;
            this.en = en;
        }
    }

    private final Consumer<Finding> lifecycle;
    private final ConfigSource config;
    private final Clock clock;
    private final Set<Cause> causes = EnumSet.noneOf(Cause.class);

    StorageTrouble(Consumer<Finding> lifecycle, ConfigSource config, Clock clock) {
        this.lifecycle = lifecycle;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One cause starts or ends; the alarm follows (raised, updated with the causes, or cleared). The
     * finding is handed to the ledger's queue under this object's lock, so changes from two threads
     * reach the alarm in the order they happened.
     */
    synchronized void set(Cause cause, boolean on) {
        if (on ? !causes.add(cause) : !causes.remove(cause)) {
            return;
        }
        Finding f = finding();
        LOG.debug("storage trouble {}: {}", on ? "starts" : "ends", cause);
        lifecycle.accept(f);
    }

    /** At start: an alarm left open by the last run is cleared when no cause holds now. */
    synchronized void settle() {
        if (causes.isEmpty()) {
            lifecycle.accept(finding());
        }
    }

    private Finding finding() {
        boolean active = !causes.isEmpty();
        String zh = active ? causes.stream().map(c -> c.zh).collect(Collectors.joining("；")) : "存储恢复正常";
        String en = active ? causes.stream().map(c -> c.en).collect(Collectors.joining("; ")) : "storage back to normal";
        return new Finding(UUID.randomUUID().toString(), FindingKind.STORAGE_TROUBLE, Level.ORANGE,
                active ? Condition.ACTIVE : Condition.CLEARED, SOURCE, county(), RULE, null, Double.NaN, Double.NaN,
                clock.instant(), "存储故障：" + zh + " / storage trouble: " + en, null, Map.of());
    }

    private GridPath county() {
        var grid = config.current().grid();
        return grid.ofKind(GridKind.COUNTY).stream().findFirst().or(() -> grid.roots().stream().findFirst())
                .map(GridNode::path).orElse(null);
    }
}
