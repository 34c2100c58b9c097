package io.safegrid.alerting.notify;

import io.safegrid.alerting.roster.DutyRoster;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.config.Roster;
import io.safegrid.config.UserDef;
import io.safegrid.model.notice.GridNotice;
import io.safegrid.model.notice.GridNotices;
import io.safegrid.model.notice.NoticeRefused;
import io.safegrid.model.notice.NoticeRoute;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices outside the alarm flow (a hazard's deadline, a major hazard, an archive reminder) for the
 * people on duty at a grid node and for named people, resolved through the same rosters as alarms
 * and sent over the same channels: each person's contacts (SMS, DingTalk, WeCom, mail, webhooks),
 * or the console list for a person without any, as the escalator does for alarms.
 */
public final class RosterNotices implements GridNotices {
    private static final Logger LOG = LoggerFactory.getLogger(RosterNotices.class);

    private final ConfigSource config;
    private final Clock clock;
    private final ZoneId zone;
    private final Worded channels;

    /** @param channels the node's channel notifiers, the ones its alarms go out through */
    public RosterNotices(ConfigSource config, Clock clock, ZoneId zone, Worded channels) {
        this.config = config;
        this.clock = clock;
        this.zone = zone;
        this.channels = channels;
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

    /**
     * Each recipient on each of their configured channels, or on the console list when they have none;
     * a named person who is no user (a responsible person known only by name) is left out, logged.
     */
    @Override
    public List<NoticeRoute> routes(GridNotice n) {
        Deployment d = config.current();
        List<NoticeRoute> out = new ArrayList<>();
        for (String name : recipients(n)) {
            Optional<UserDef> user = d.users().stream().filter(u -> u.name().equals(name)).findFirst();
            if (user.isEmpty()) {
                LOG.info("notice {}: {} is no user with contacts; not told directly", n.key(), name);
                continue;
            }
            int before = out.size();
            user.get().contacts().forEach((channelId, address) -> {
                if (d.channels().stream().anyMatch(c -> c.id().equals(channelId))) {
                    out.add(new NoticeRoute(name, channelId, address));
                }
            });
            if (out.size() == before) {
                out.add(new NoticeRoute(name, ChannelNotifier.CONSOLE, null));
            }
        }
        if (out.isEmpty()) {
            LOG.warn("notice {} for {}: nobody on a roster there and nobody named", n.key(), n.node());
        }
        return out;
    }

    @Override
    public void send(GridNotice n, NoticeRoute r) throws Exception {
        Deployment d = config.current();
        UserDef user = d.users().stream().filter(u -> u.name().equals(r.recipient())).findFirst()
                .orElseThrow(() -> new NoticeRefused("user " + r.recipient() + " is no longer configured", null));
        ChannelDef ch = ChannelNotifier.CONSOLE.equals(r.channelId()) ? ChannelNotifier.CONSOLE_CHANNEL
                : d.channels().stream().filter(c -> c.id().equals(r.channelId())).findFirst()
                .orElseThrow(() -> new NoticeRefused("channel " + r.channelId() + " is no longer configured", null));
        // the key is the same on every attempt of this route: webhooks and mails carry it for receivers to drop repeats
        String key = n.key() + "/" + r.recipient() + "/" + r.channelId();
        try {
            channels.send(new Notification(key, user, ch, r.address(), null, 1), new NoticeWording(n, user.language()));
        } catch (PermanentFailure | IllegalArgumentException | UnsupportedOperationException e) {
            throw new NoticeRefused(e.getMessage(), e);
        }
        LOG.info("notice {} to {} via {}", n.key(), r.recipient(), r.channelId());
    }
}
