package io.safegrid.node.wiring;

import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.ConfigSource;
import io.safegrid.console.Console;
import io.safegrid.console.health.Health;
import io.safegrid.model.bus.Bus;
import java.util.Deque;

/** Builds each stage of a node and remembers what it started, for ports and shutdown. */
public final class Stages {
    private final ConfigSource config;
    private final Bus bus;
    private final MeterRegistry registry;
    private final Health health;

    Stages(ConfigSource config, Bus bus, MeterRegistry registry, Health health) {
        this.config = config;
        this.bus = bus;
        this.registry = registry;
        this.health = health;
    }

    void startAlerting(Deque<AutoCloseable> running) throws Exception {
    }

    void startAnalytics(Deque<AutoCloseable> running) throws Exception {
    }

    void startIngest(Deque<AutoCloseable> running) throws Exception {
    }

    void addConsoleViews(Console console) {
    }
}
