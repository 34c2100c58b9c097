package io.safegrid.alerting.notify;

import io.safegrid.alerting.roster.DutyRoster;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.Roster;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.GridNotices;
import java.time.Clock;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices outside the alarm flow (a hazard's deadline) for the people on duty at a grid node and for
 * named people, resolved through the same rosters as alarms. Delivery is the in-app console channel:
 * the notice is on the hazard's audit trail (the caller stores it) and logged here per recipient; the
 * alarm channels (SMS, DingTalk, WeCom, mail, webhooks) render alarm messages only and are not used.
 */
public final class RosterNotices implements GridNotices {
    private static final Logger LOG = LoggerFactory.getLogger(RosterNotices.class);

    private final ConfigSource config;
    private final Clock clock;
    private final ZoneId zone;
    private final Consumer<String> sink;

    public RosterNotices(ConfigSource config, Clock clock, ZoneId zone) {
        this(config, clock, zone, line -> LOG.info(line));
    }

    /** With a sink for each delivered line (tests). */
    public RosterNotices(ConfigSource config, Clock clock, ZoneId zone, Consumer<String> sink) {
        this.config = config;
        this.clock = clock;
        this.zone = zone;
        this.sink = sink;
    }

    /** Who is told: the node's people on duty now (or its fallback), then the named people. */
    public List<String> recipients(GridNotice n) {
        Deployment d = config.current();
        Set<String> people = new LinkedHashSet<>();
        if (n.node() != null) {
            Optional<Roster> r = DutyRoster.rosterOf(d.rosters(), n.node());
            r.ifPresent(roster -> people.addAll(DutyRoster.onDuty(roster, clock.instant().atZone(zone)).people()));
        }
        people.addAll(n.people());
        return List.copyOf(people);
    }

    @Override
    public void deliver(GridNotice n) {
        List<String> to = recipients(n);
        if (to.isEmpty()) {
            LOG.warn("notice {} for {}: nobody on a roster there and nobody named", n.key(), n.node());
        }
        for (String person : to) {
            sink.accept("notice " + n.key() + " to " + person + " (" + (n.node() == null ? "named" : n.node()) + ") via console: "
                    + n.subjectZh() + " " + n.textZh());
        }
    }
}
