package io.safegrid.ingest.mqtt;

/** Sizes of the MQTT endpoint. */
public final class MqttLimits {
    /** Room for the fixed and variable header (topic, properties) on top of the payload limit. */
    public static final int OVERHEAD = 1024;
    /** A device must CONNECT within this many seconds of opening the connection. */
    public static final int CONNECT_TIMEOUT_SECONDS = 10;

    private MqttLimits() {
    }
}
