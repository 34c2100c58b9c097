package io.safegrid.supervision.redline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.redline.Severity;
import io.safegrid.model.redline.ViolationSource;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a serious violation of the enterprise for each alarm of a kind that is one by itself: a
 * methane power-off override (power left on, or restored, at the power-off limit) is the operator
 * defeating a safety interlock, not a reading gone high. Once per alarm, a redelivery included, so
 * repeated overrides meet the red-line rules (e.g. three serious violations in a year) without anyone
 * typing them in.
 */
public final class AlarmViolations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmViolations.class);
    public static final String GROUP = "supervision-violations";
    static final Set<FindingKind> KINDS = Set.of(FindingKind.POWER_OFF_OVERRIDE);

    private final Bus bus;
    private final RedLineService register;
    private final Counter recorded;
    private final Counter failed;
    private Subscription subscription;

    public AlarmViolations(Bus bus, RedLineService register, MeterRegistry registry) {
        this.bus = bus;
        this.register = register;
        this.recorded = Counter.builder("safegrid.redline.found").tag("outcome", "recorded")
                .description("violations recorded from alarms").register(registry);
        this.failed = Counter.builder("safegrid.redline.found").tag("outcome", "failed")
                .description("alarms whose violation could not be written").register(registry);
    }

    public AlarmViolations start() {
        subscription = bus.subscribe(Topic.ALARMS, GROUP, (key, e) -> onEvent(e));
        return this;
    }

    void onEvent(AlarmEvent e) {
        Alarm a = e.alarm();
        if (e.type() != AlarmEvent.Type.RAISED || a == null || !KINDS.contains(a.kind()) || a.site() == null) {
            return;
        }
        try {
            register.recordFound(a.site(), ViolationSource.ALARM, a.id(), Severity.SERIOUS,
                    a.kind().labelZh() + " / " + a.kind().labelEn() + ": " + a.message(), a.raisedAt())
                    .ifPresent(v -> recorded.increment());
        } catch (RuntimeException ex) {
            failed.increment();
            LOG.error("alarm {} ({} at {}): violation not recorded: {}", a.id(), a.kind(), a.site(), ex.toString());
        }
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
