package io.safegrid.ingest.gb28181.cascade;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.model.alarm.Alarm;
import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.FindingKind;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;

/**
 * The county's alarms sent up as {@code <Notify><CmdType>Alarm}: each alarm once, when raised, from the
 * shared channel it concerns (a channel, or a push camera a channel is bound to), else from this
 * platform itself. Level red … blue is AlarmPriority 1 … 4.
 */
final class UpperAlarms {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final String selfId;
    private final Supplier<Gb28181Config> config;
    private final Clock clock;
    private final MeterRegistry registry;

    UpperAlarms(String selfId, Supplier<Gb28181Config> config, Clock clock, MeterRegistry registry) {
        this.selfId = selfId;
        this.config = config;
        this.clock = clock;
        this.registry = registry;
    }

    void onEvent(AlarmEvent e, List<UpperLink> links) {
        if (e.type() != AlarmEvent.Type.RAISED || e.alarm() == null) {
            return;
        }
        for (UpperLink link : links) {
            if (!link.upper().alarms()) {
                continue;
            }
            String xml = notify(e.alarm(), link.upper(), link.nextSn());
            if (link.send(xml, link.charset(), "alarm")) {
                Counter.builder("safegrid.gb28181.upper.alarms").tag("upper", link.upper().id())
                        .description("alarms sent up to upper platforms").register(registry).increment();
            }
        }
    }

    String notify(Alarm a, Gb28181Config.Upper upper, long sn) {
        String source = sourceOf(a.sourceId(), upper);
        int priority = switch (a.level()) {
            case RED -> 1;
            case ORANGE -> 2;
            case YELLOW -> 3;
            default -> 4;
        };
        return "<Notify>\r\n<CmdType>Alarm</CmdType>\r\n<SN>" + sn + "</SN>\r\n<DeviceID>" + source + "</DeviceID>\r\n"
                + "<AlarmPriority>" + priority + "</AlarmPriority>\r\n<AlarmMethod>" + method(a.kind()) + "</AlarmMethod>\r\n"
                + "<AlarmTime>" + TIME.format(LocalDateTime.ofInstant(a.raisedAt() == null ? clock.instant() : a.raisedAt(),
                        clock.getZone())) + "</AlarmTime>\r\n<AlarmDescription>" + Manscdp.escape(a.message() == null ? "" : a.message())
                + "</AlarmDescription>\r\n</Notify>\r\n";
    }

    private String sourceOf(String sourceId, Gb28181Config.Upper upper) {
        if (sourceId == null) {
            return selfId;
        }
        if (upper.share().contains(sourceId)) {
            return sourceId;
        }
        for (Gb28181Config.Device d : config.get().devices()) {
            for (Gb28181Config.Channel c : d.channels()) {
                if (sourceId.equals(c.camera()) && upper.share().contains(c.id())) {
                    return c.id();
                }
            }
        }
        return selfId;
    }

    /** GB/T 28181 alarm methods: 2 device, 5 video, 6 device fault. */
    static int method(FindingKind kind) {
        if (kind == null) {
            return 2;
        }
        return switch (kind.category()) {
            case VIDEO -> 5;
            case DEVICE -> kind == FindingKind.DEVICE_ALARM ? 2 : 6;
            case SENSOR -> 2;
        };
    }
}
