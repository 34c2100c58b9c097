package io.safegrid.bus.kafka;

/**
 * The topic whose partitions stand for shares of the cameras. Nothing needs to be written to it:
 * a camera belongs to the partition its id hashes to (Kafka's own key hash), and the analytics
 * node that the consumer group assigns that partition to runs the camera.
 */
public final class CameraTopic {
    public static final String NAME = "cameras";

    private CameraTopic() {
    }
}
