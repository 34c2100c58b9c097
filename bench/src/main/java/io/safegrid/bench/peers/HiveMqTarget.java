package io.safegrid.bench.peers;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * HiveMQ Community Edition, embedded, in-memory persistence, otherwise its shipped defaults. An
 * embedded extension lets every client in (as the allow-all extension HiveMQ ships does) and hands
 * every inbound PUBLISH to the sink from a publish-inbound interceptor: the cheapest in-process way to
 * get at the messages HiveMQ offers.
 */
final class HiveMqTarget implements Target {
    private EmbeddedHiveMQ hive;
    private Path home;

    @Override
    public String name() { return "HiveMQ CE 2025.5"; }

    @Override
    public void start(int port, ReadingSink sink) throws Exception {
        home = Files.createTempDirectory("hivemq-bench");
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        PublishInboundInterceptor toSink = (in, out) -> {
            var packet = in.getPublishPacket();
            ByteBuffer b = packet.getPayload().orElse(ByteBuffer.allocate(0));
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            sink.publish(packet.getTopic(), bytes);
        };
        ExtensionMain main = new ExtensionMain() {
            @Override
            public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
                Services.securityRegistry().setAuthenticatorProvider(p -> (SimpleAuthenticator) (ci, co) -> co.authenticateSuccessfully());
                Services.initializerRegistry().setClientInitializer((ii, ctx) -> ctx.addPublishInboundInterceptor(toSink));
            }

            @Override
            public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
            }
        };
        hive = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withEmbeddedExtension(EmbeddedExtension.builder().withId("safegrid-bench").withName("bench sink")
                        .withVersion("1").withPriority(0).withStartPriority(1000).withAuthor("bench").withExtensionMain(main).build())
                .withoutLoggingBootstrap()
                .build();
        hive.start().join();
    }

    @Override
    public void close() throws Exception {
        if (hive != null) {
            hive.stop().join();
            hive.close();
        }
        if (home != null) {
            try (Stream<Path> s = Files.walk(home)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
