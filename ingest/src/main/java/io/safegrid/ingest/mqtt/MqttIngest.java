package io.safegrid.ingest.mqtt;

import io.netty.channel.ChannelPipeline;
import io.safegrid.ingest.directory.DeviceDirectory;
import io.safegrid.ingest.intake.ReadingIntake;
import io.safegrid.ingest.mqtt.connect.MqttConnectHandler;
import io.safegrid.ingest.mqtt.publish.MqttPublishHandler;
import io.safegrid.ingest.mqtt.refuse.MqttRefusalHandler;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The broker side of one MQTT 3.1.1 / 5 connection, for devices that only publish readings. After
 * the MQTT codec, a message passes three handlers, each owning one part of the protocol:
 * <ol>
 *   <li>{@link MqttConnectHandler}: CONNECT (login, keep-alive), PINGREQ, DISCONNECT; nothing else
 *       passes before a device has logged in;</li>
 *   <li>{@link MqttPublishHandler}: PUBLISH to the device's own readings topic, acknowledged once the
 *       readings are on the bus;</li>
 *   <li>{@link MqttRefusalHandler}: whatever this endpoint does not take (subscriptions, QoS 2 flows,
 *       malformed packets) and connection errors.</li>
 * </ol>
 * They share the connection's state ({@link MqttConnection}).
 */
public final class MqttIngest {
    public static final String PROTOCOL = "mqtt";
    /** Name of the keep-alive handler (1.5 × keep-alive) added at CONNECT; the CONNECT deadline is the listener guard's. */
    public static final String IDLE = "idle";

    private MqttIngest() {
    }

    /** Adds the three handlers of one connection after the MQTT decoder and encoder. */
    public static void addHandlers(ChannelPipeline p, Supplier<DeviceDirectory> directory, ReadingIntake intake, Clock clock,
                                   int maxPayloadBytes) {
        MqttConnection connection = new MqttConnection(intake);
        p.addLast(new MqttConnectHandler(connection, directory, maxPayloadBytes),
                new MqttPublishHandler(connection, directory, clock, maxPayloadBytes),
                new MqttRefusalHandler(connection));
    }
}
