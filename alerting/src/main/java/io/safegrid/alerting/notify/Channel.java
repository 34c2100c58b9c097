package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import java.util.List;

/** A channel type's notifier that can also check a channel's settings before anything is sent. */
public interface Channel extends Worded {
    /** Adds one line per problem with {@code channel}'s settings to {@code problems}. */
    void check(ChannelDef channel, List<String> problems);

    /**
     * The channel's settings for one send, checked first: a channel whose settings are wrong fails
     * permanently rather than being retried.
     */
    default Settings checkedSettings(ChannelDef channel) throws PermanentFailure {
        List<String> problems = new java.util.ArrayList<>();
        check(channel, problems);
        Settings s = new Settings(channel, problems);
        s.throwIfAny();
        return s;
    }
}
