package io.safegrid.model.reading;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.Objects;

/**
 * One measured value from one sensor.
 *
 * @param time       when it was measured (the device's clock where the protocol carries one)
 * @param receivedAt when ingest accepted it
 * @param flag       the data flag; {@link DataFlag#N} when the protocol has none
 */
public record Reading(String deviceId, GridPath site, String metric, double value, Instant time,
                      Period period, Statistic statistic, DataFlag flag, Instant receivedAt) {
    public Reading {
        Objects.requireNonNull(deviceId, "deviceId");
        Objects.requireNonNull(metric, "metric");
        Objects.requireNonNull(time, "time");
        period = period == null ? Period.REALTIME : period;
        statistic = statistic == null ? Statistic.VALUE : statistic;
        flag = flag == null ? DataFlag.N : flag;
        receivedAt = receivedAt == null ? time : receivedAt;
    }

    /** A plain real-time sample with a normal flag. */
    public static Reading sample(String deviceId, GridPath site, String metric, double value, Instant time) {
        return new Reading(deviceId, site, metric, value, time, Period.REALTIME, Statistic.VALUE, DataFlag.N, Instant.now());
    }
}
