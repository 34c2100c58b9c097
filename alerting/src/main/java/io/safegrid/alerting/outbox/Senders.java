package io.safegrid.alerting.outbox;

import io.safegrid.model.scheduling.ThreadPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.safegrid.alerting.notify.ChannelNotifier;
import io.safegrid.alerting.notify.Notification;
import io.safegrid.alerting.notify.Notifier;
import io.safegrid.alerting.notify.PermanentFailure;
import io.safegrid.config.ChannelDef;
import io.safegrid.config.ConfigSource;
import io.safegrid.config.Deployment;
import io.safegrid.model.bus.Urgency;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends notifications the ledger claimed, and only sends: each attempt runs on a pooled thread and
 * its {@link Outcome} goes back to the ledger, which stores it. The ledger hands over at most one
 * row per channel at a time, so a channel's order is kept and a hanging receiver holds up only its
 * own channel (for at most its timeout), while other channels go on.
 */
public final class Senders implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Senders.class);

    private final ConfigSource config;
    private final Notifier notifier;
    private final MeterRegistry registry;
    private final Consumer<Outcome> back;
    private final ExecutorService workers;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter invalidChannels;
    private final Timer pickup;

    /**
     * @param back    where each outcome goes (the ledger's command queue)
     * @param threads how the senders' threads are scheduled (they are on the alarm path)
     */
    public Senders(ConfigSource config, Notifier notifier, MeterRegistry registry, Consumer<Outcome> back,
                   ThreadPolicy threads) {
        this.config = config;
        this.notifier = notifier;
        this.registry = registry;
        this.back = back;
        invalidChannels = Counter.builder("safegrid.notify.channels.invalid")
                .description("channel setting problems found at start").register(registry);
        Gauge.builder("safegrid.notify.outbox.in.flight", inFlight, AtomicInteger::get).register(registry);
        pickup = Timer.builder("safegrid.notify.pickup")
                .description("from the alarm commit to its notification's send starting, for rows dispatched at once")
                .register(registry);
        // sending is the last step of the alarm path: its threads run ahead of bulk work (see Urgency)
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(threads.at(Urgency.URGENT, r), "notify-send");
            t.setDaemon(true);
            return t;
        });
        validate(config.current());
        config.onChange(this::validate);
    }

    /** Logs (and counts) every channel setting problem: at start and after each config reload. */
    private void validate(Deployment d) {
        if (notifier instanceof ChannelNotifier cn) {
            for (String p : cn.validate(d.channels())) {
                LOG.error("notification channel misconfigured, its sends will fail: {}", p);
                invalidChannels.increment();
            }
        }
    }

    /** One attempt of a claimed row, on a pooled thread; {@code committedAt} (nanoTime) times the pickup. */
    public void send(Delivery d, long committedAt) {
        try {
            workers.execute(() -> {
                pickup.record(System.nanoTime() - committedAt, TimeUnit.NANOSECONDS);
                back.accept(attempt(d));
            });
        } catch (RejectedExecutionException closing) {
            back.accept(new Outcome(d, Outcome.Kind.NOT_STARTED, "the node is stopping"));
        }
    }

    private Outcome attempt(Delivery d) {
        inFlight.incrementAndGet();
        Timer.Sample t = Timer.start(registry);
        try {
            notifier.send(new Notification(d.key(), Outcome.user(config.current(), d.recipient()), channel(d), d.address(),
                    d.message(), d.attempts()));
            LOG.info("notified {} via {} about alarm {} (attempt {})", d.recipient(), d.channelId(), d.message().alarmId(),
                    d.attempts());
            return new Outcome(d, Outcome.Kind.SENT, null);
        } catch (PermanentFailure | UnsupportedOperationException | IllegalArgumentException e) {
            LOG.error("notifying {} via {} about alarm {} failed for good: {}", d.recipient(), d.channelId(),
                    d.message().alarmId(), describe(e));
            return new Outcome(d, Outcome.Kind.PERMANENT, describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(d, Outcome.Kind.RETRYABLE, "interrupted: the node is stopping");
        } catch (Exception e) {
            LOG.warn("notifying {} via {} about alarm {} failed (attempt {}): {}", d.recipient(), d.channelId(),
                    d.message().alarmId(), d.attempts(), describe(e));
            return new Outcome(d, Outcome.Kind.RETRYABLE, describe(e));
        } finally {
            t.stop(Timer.builder("safegrid.notify.send").tag("type", d.channelType()).register(registry));
            inFlight.decrementAndGet();
        }
    }

    private ChannelDef channel(Delivery d) throws PermanentFailure {
        if (ChannelNotifier.CONSOLE.equals(d.channelId())) {
            return ChannelNotifier.CONSOLE_CHANNEL;
        }
        return config.current().channels().stream().filter(c -> c.id().equals(d.channelId())).findFirst()
                .orElseThrow(() -> new PermanentFailure("channel " + d.channelId() + " is no longer configured"));
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** Lets sends in flight finish (up to {@code drain}; then interrupts them), their outcomes handed back. */
    public void close(Duration drain) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("notifications still being sent after {}; they are resumed at the next start", drain);
                workers.shutdownNow();
                workers.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
