package io.safegrid.ingest.mqtt;

/** Sizes of the MQTT endpoint. */
public final class MqttLimits {
    /** Room for the fixed and variable header (topic, properties) on top of the payload limit. */
    public static final int OVERHEAD = 1024;

    private MqttLimits() {
    }
}
