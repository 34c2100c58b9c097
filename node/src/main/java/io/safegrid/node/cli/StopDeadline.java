package io.safegrid.node.cli;

import io.safegrid.ingest.journal.Journal;
import io.safegrid.node.wiring.Node;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM stops the node within {@link #LIMIT}: the stages flush what they can in their own order;
 * whatever has not finished by then is cut off. Nothing acknowledged is lost by the cut: the journal
 * is on disk, and what it holds past its checkpoint is replayed at the next start, which is said here.
 */
final class StopDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(StopDeadline.class);
    /** Under the 10 s orchestrators commonly give between SIGTERM and SIGKILL, with room for the JVM's own exit. */
    static final Duration LIMIT = Duration.ofSeconds(9);

    private StopDeadline() {
    }

    static void await(Thread closer, Node node) {
        try {
            closer.join(LIMIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!closer.isAlive()) {
            return;
        }
        Journal j = node.stages().journal();
        LOG.error("Node did not stop within {} s; stopping now.{}", LIMIT.toSeconds(), j == null ? ""
                : " The ingest journal keeps " + j.unconfirmed() + " readings after checkpoint " + j.confirmed()
                + " for replay at the next start.");
        Runtime.getRuntime().halt(1);
    }
}
