package io.safegrid.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.demo.DemoCounty;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.notice.GridNotice;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hazard and archive notices reach whoever is on duty at the node now, and the named people. */
class RosterNoticesTest {
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    final ConfigSource config = ConfigSource.of(DemoCounty.load(n -> null));

    static GridNotice notice(GridPath node, List<String> people) {
        return new GridNotice("hazard:hz-1:overdue-1", node, people, "【隐患整改超期】", "Hazard overdue", "隐患 hz-1 已超期",
                "hazard hz-1 overdue", "http://console/#/hazards/hz-1", Instant.EPOCH);
    }

    RosterNotices at(String utc, List<String> sink) {
        return new RosterNotices(config, Clock.fixed(Instant.parse(utc), ZoneOffset.UTC), CHINA, sink::add);
    }

    @Test
    void theDayShiftByDayTheNightShiftByNight() {
        List<String> lines = new ArrayList<>();
        GridPath kecheng = GridPath.parse("puxian/kecheng");
        assertThat(at("2026-12-01T02:00:00Z", lines).recipients(notice(kecheng, List.of()))).containsExactly("zheng-ming"); // 10:00
        assertThat(at("2026-12-01T14:00:00Z", lines).recipients(notice(kecheng, List.of()))).containsExactly("xie-hong");   // 22:00
    }

    @Test
    void namedPeopleAreToldBesideTheRosterOnceEach() {
        List<String> lines = new ArrayList<>();
        GridPath coal = GridPath.parse("puxian/kecheng/dongyu/kecheng-coal");
        at("2026-12-01T02:00:00Z", lines).deliver(notice(coal, List.of("zhang-hui", "liu-xiuying")));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("notice hazard:hz-1:overdue-1 to zhang-hui (puxian/kecheng/dongyu/kecheng-coal)")
                .contains("隐患 hz-1 已超期");
        assertThat(lines.get(1)).contains("to liu-xiuying");
    }

    @Test
    void aNodeWithoutARosterTellsOnlyTheNamed() {
        List<String> lines = new ArrayList<>();
        RosterNotices n = at("2026-12-01T02:00:00Z", lines);
        assertThat(n.recipients(notice(GridPath.parse("puxian/nowhere"), List.of()))).isEmpty();
        assertThat(n.recipients(notice(null, List.of("wang-fang")))).containsExactly("wang-fang");
    }
}
