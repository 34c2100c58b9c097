package io.safegrid.analytics.rules;

import io.safegrid.model.finding.Finding;

/** Where the engine hands its findings; the bus publish may block, never drop. */
@FunctionalInterface
public interface FindingSink {
    void accept(Finding finding) throws InterruptedException;
}
