package io.safegrid.model.bus;

import io.safegrid.model.alarm.AlarmEvent;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.video.StreamReport;
import io.safegrid.model.video.VideoFrame;
import java.util.List;

/**
 * A named stream of one message type. Messages are published with a key (the device id), and
 * messages with the same key are delivered in order to each subscribing group — in one process
 * and, later, on Kafka where the key picks the partition.
 */
public record Topic<T>(String name, Class<T> type, Overflow overflow) {

    /** Sensor readings, ingest → analytics and the record. Keyed by device id. */
    public static final Topic<Reading> READINGS = new Topic<>("readings", Reading.class, Overflow.BLOCK);
    /** Decoded video frames, ingest → analytics. Keyed by camera id. The only droppable topic. */
    public static final Topic<VideoFrame> FRAMES = new Topic<>("frames", VideoFrame.class, Overflow.DROP_OLDEST);
    /** Findings, analytics and ingest (device online/offline) → alerting. Keyed by source id. */
    public static final Topic<Finding> FINDINGS = new Topic<>("findings", Finding.class, Overflow.BLOCK);
    /** Alarm timeline events, alerting → console, record and cascade. Keyed by alarm id. */
    public static final Topic<AlarmEvent> ALARMS = new Topic<>("alarms", AlarmEvent.class, Overflow.BLOCK);
    /** Each camera's stream as the intake sees it, every second, ingest → analytics (video loss). Keyed by camera id. */
    public static final Topic<StreamReport> STREAMS = new Topic<>("streams", StreamReport.class, Overflow.BLOCK);

    public static List<Topic<?>> all() { return List.of(READINGS, FRAMES, FINDINGS, ALARMS, STREAMS); }

    @Override
    public String toString() { return name; }
}
