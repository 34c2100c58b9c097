package io.safegrid.model.judging;

import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import java.util.List;

/**
 * The step from readings to findings, as a port: ingest's intake calls it for every reading it has
 * taken onto the bus, on the connection's own thread, and puts the findings on the bus itself, with
 * the same backpressure as the readings. The node wires it to analytics' rule engine where both run
 * in one process; elsewhere the rules read the readings from the bus and ingest judges nothing.
 *
 * <p>An implementation must be quick (microseconds), must never wait (it runs on a network event
 * loop) and must take each device's readings one call at a time, in the order given.
 */
@FunctionalInterface
public interface Judge {

    /** Judges nothing: the rules are elsewhere. */
    Judge NONE = (deviceId, readings) -> List.of();

    /** The findings one device's readings raise or clear, in order; an empty list when none. */
    List<Finding> judge(String deviceId, List<Reading> readings);
}
