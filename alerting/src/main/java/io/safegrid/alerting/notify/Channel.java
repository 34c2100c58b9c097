package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import java.util.List;

/** A channel type's notifier that can also check a channel's settings before anything is sent. */
public interface Channel extends Notifier {
    /** Adds one line per problem with {@code channel}'s settings to {@code problems}. */
    void check(ChannelDef channel, List<String> problems);
}
