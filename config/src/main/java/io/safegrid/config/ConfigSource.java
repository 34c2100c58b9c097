package io.safegrid.config;

import java.util.function.Consumer;

/**
 * The current deployment and its changes. Stages read {@link #current()} when they need it and
 * may listen for reloads; a listener is called only with a config that passed validation.
 */
public interface ConfigSource {

    Deployment current();

    /** Called on the reloading thread after each valid change; must not block for long. */
    void onChange(Consumer<Deployment> listener);

    /** A fixed config, for tests and tools. */
    static ConfigSource of(Deployment deployment) {
        return new ConfigSource() {
            @Override
            public Deployment current() { return deployment; }

            @Override
            public void onChange(Consumer<Deployment> listener) {
            }
        };
    }
}
