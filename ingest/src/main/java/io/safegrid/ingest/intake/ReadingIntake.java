package io.safegrid.ingest.intake;

import io.netty.channel.Channel;
import io.safegrid.ingest.session.DeviceSessions;
import io.safegrid.ingest.session.RateLimits;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.judging.Judge;
import io.safegrid.model.reading.Reading;
import io.safegrid.ingest.json.PayloadException;
import io.safegrid.ingest.guard.ReadPause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What every protocol does with readings it has decoded and authorised: rate-limit per device,
 * put them on the bus and have them judged through the connection's {@link ChannelGate}, count them
 * and mark the device as seen — and only then, once the {@link Acknowledger} (the journal) holds
 * them, run the protocol's acknowledgement.
 */
public final class ReadingIntake {
    private final Bus bus;
    private final RateLimits limits;
    private final DeviceSessions sessions;
    private final IngestMetrics metrics;
    private final ReadingWindow window;
    private volatile Acknowledger acks = Acknowledger.AT_ONCE;
    private volatile Judge judge = Judge.NONE;

    public ReadingIntake(Bus bus, RateLimits limits, DeviceSessions sessions, IngestMetrics metrics, ReadingWindow window) {
        this.bus = bus;
        this.limits = limits;
        this.sessions = sessions;
        this.metrics = metrics;
        this.window = window;
    }

    public IngestMetrics metrics() { return metrics; }

    /** From now on, readings taken onto the bus are judged by {@code judge}; before any connection is accepted. */
    public void judgeWith(Judge judge) {
        this.judge = judge;
    }

    /** From now on, acknowledgements wait for {@code acks} (the journal); before any connection is accepted. */
    public void acknowledgeWith(Acknowledger acks) {
        this.acks = acks;
    }

    /**
     * Refuses readings that could not be judged or recorded (time outside the window, non-finite value):
     * call before {@link #admit}, and send the protocol's own error for the exception.
     */
    public void check(List<Reading> readings) throws PayloadException {
        window.check(readings);
    }

    /** Like {@link #check(List)} for a frame's one data time. */
    public void check(Instant time) throws PayloadException {
        window.check(time);
    }

    /**
     * How long a connection is not read after its device went over its readings/s limit. Reading, decoding
     * and refusing every message of a device that sends flat out costs the node as much as taking it; held
     * back, its messages wait in TCP (the sender's own buffer fills) and the limit refills meanwhile.
     */
    public static final Duration RATE_HOLD = Duration.ofMillis(250);

    /** Stops reading {@code channel} for {@link #RATE_HOLD}, once its device was refused for its rate. */
    public void holdBack(Channel channel, String protocol) {
        if (ReadPause.holds(channel, ReadPause.RATE)) {
            return;
        }
        ReadPause.hold(channel, ReadPause.RATE);
        metrics.count("safegrid.ingest.backpressure.rate", protocol);
        channel.eventLoop().schedule(() -> ReadPause.release(channel, ReadPause.RATE), RATE_HOLD.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Takes rate-limit tokens for {@code n} readings of the device; false (and nothing taken) when over the limit. */
    public boolean admit(String deviceId, int n) {
        return limits.tryAcquire(deviceId, n);
    }

    /**
     * Publishes one device's readings in order, then runs {@code onAccepted} on the channel's event loop once
     * they are kept; when they cannot be (a full disk, a failed journal), the connection is closed instead.
     */
    public void publish(Channel channel, String protocol, String deviceId, List<Reading> readings, Runnable onAccepted) {
        publish(channel, protocol, deviceId, readings, onAccepted, r -> channel.close());
    }

    /**
     * Like {@link #publish(Channel, String, String, List, Runnable)}, with the protocol's own refusal: {@code onRefused}
     * runs in the acknowledgement's place (counted as rejected first); null when a later {@link #replyIfKept} answers
     * for these readings.
     */
    public void publish(Channel channel, String protocol, String deviceId, List<Reading> readings, Runnable onAccepted,
                        Consumer<Refusal> onRefused) {
        gate(channel, protocol).submit(deviceId, readings, () -> {
            metrics.accepted(protocol, readings.size());
            sessions.seen(deviceId);
            onAccepted.run();
        }, onRefused);
    }

    /** Runs a reply after everything this connection sent before it is on the bus. */
    public void reply(Channel channel, String protocol, Runnable action) {
        gate(channel, protocol).then(action);
    }

    /**
     * Runs a reply that vouches for the readings before it (HJ 212's 9014) once they are kept; {@code onRefused}
     * instead when any published since the last such reply without an answer of its own could not be kept.
     */
    public void replyIfKept(Channel channel, String protocol, Runnable action, Consumer<Refusal> onRefused) {
        gate(channel, protocol).thenIfKept(action, onRefused);
    }

    private ChannelGate gate(Channel channel, String protocol) {
        return ChannelGate.of(channel, bus, metrics, protocol, acks, judge);
    }
}
