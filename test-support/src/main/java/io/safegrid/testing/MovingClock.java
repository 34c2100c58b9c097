package io.safegrid.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves by hand (deadlines, quarters, overdue checks), in UTC. */
public final class MovingClock extends Clock {
    private volatile Instant now;

    public MovingClock(Instant start) { this.now = start; }

    public void advance(Duration d) { now = now.plus(d); }

    public void set(Instant t) { now = t; }

    @Override
    public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override
    public Clock withZone(ZoneId zone) { return this; }

    @Override
    public Instant instant() { return now; }
}
