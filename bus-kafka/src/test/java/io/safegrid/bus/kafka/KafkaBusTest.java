package io.safegrid.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.safegrid.bus.kafka.embedded.EmbeddedKafka;
import io.safegrid.model.Level;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import io.safegrid.model.bus.TopicStats;
import io.safegrid.model.finding.Condition;
import io.safegrid.model.finding.Finding;
import io.safegrid.model.finding.FindingKind;
import io.safegrid.model.grid.GridPath;
import io.safegrid.model.reading.Reading;
import io.safegrid.model.video.VideoFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The bus contract (Bus.java) held against a real broker in this JVM. */
class KafkaBusTest {
    private static final GridPath SITE = GridPath.parse("puxian/keliqiao/coalmine-7");
    @TempDir
    static Path logs;
    static EmbeddedKafka kafka;

    private final List<AutoCloseable> open = new ArrayList<>();
    private String prefix;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.start(logs);
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @org.junit.jupiter.api.BeforeEach
    void name(TestInfo info) {
        // each test its own topics and groups
        prefix = "t" + Integer.toHexString(info.getDisplayName().hashCode()) + ".";
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private KafkaBus bus(String node) {
        return bus(KafkaBusSettings.of(kafka.bootstrapServers(), prefix, 6, node).withSessionTimeout(Duration.ofSeconds(3)));
    }

    private KafkaBus bus(KafkaBusSettings s) {
        KafkaBus b = new KafkaBus(s, new SimpleMeterRegistry());
        open.add(b);
        return b;
    }

    private static Reading reading(String device, int n) {
        return Reading.sample(device, SITE, "methane", n, Instant.ofEpochSecond(1_800_000_000L + n));
    }

    private static Finding finding(int n) {
        return new Finding("f-" + n, FindingKind.THRESHOLD, Level.YELLOW, Condition.ACTIVE, "dev-" + (n % 7), SITE,
                "methane", null, n, 1.0, Instant.now(), "n=" + n, null, Map.of());
    }

    @Test
    void eachDevicesReadingsArriveInPublishOrder() throws Exception {
        KafkaBus bus = bus("n1");
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "rules", (key, r) -> {
            assertThat(key).isEqualTo(r.deviceId());
            seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value());
            count.incrementAndGet();
        });
        int devices = 20;
        int each = 100;
        for (int n = 0; n < each; n++) {
            for (int d = 0; d < devices; d++) {
                bus.publish(Topic.READINGS, "dev-" + d, reading("dev-" + d, n));
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= devices * each);
        assertThat(seen).hasSize(devices);
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < each; n++) {
            expected.add(n);
        }
        seen.values().forEach(l -> assertThat(l).isEqualTo(expected));
        assertThat(stat(bus, "readings").published()).isEqualTo(devices * each);
        // a reading counts as delivered once its handler returned, just after the handler counted it above
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(stat(bus, "readings").delivered()).isEqualTo(devices * each));
    }

    @Test
    void twoGroupsEachGetEverythingAndNodesOfOneGroupShareIt() throws Exception {
        KafkaBus node1 = bus("n1");
        KafkaBus node2 = bus("n2");
        Set<String> alerting = ConcurrentHashMap.newKeySet();
        Set<String> record1 = ConcurrentHashMap.newKeySet();
        Set<String> record2 = ConcurrentHashMap.newKeySet();
        node1.subscribe(Topic.FINDINGS, "alerting", (k, f) -> alerting.add(f.id()));
        node1.subscribe(Topic.FINDINGS, "record", (k, f) -> record1.add(f.id()));
        node2.subscribe(Topic.FINDINGS, "record", (k, f) -> record2.add(f.id()));
        awaitMembersWithPartitions(prefix + "findings.record", 2);
        int n = 500;
        for (int i = 0; i < n; i++) {
            node1.publish(Topic.FINDINGS, "dev-" + (i % 7), finding(i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> alerting.size() == n);
        await().atMost(Duration.ofSeconds(60)).until(() -> unionSize(record1, record2) == n);
        // both nodes of the record group got a share (7 keys over 6 partitions cannot all land on one node)
        assertThat(record1).isNotEmpty();
        assertThat(record2).isNotEmpty();
    }

    /** Until the group has settled with this many members, each holding partitions. */
    static void awaitMembersWithPartitions(String group, int members) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var d = admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get(10, TimeUnit.SECONDS);
                return d.members().size() == members
                        && d.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    private static int unionSize(Set<String> a, Set<String> b) {
        Set<String> u = new java.util.HashSet<>(a);
        u.addAll(b);
        return u.size();
    }

    @Test
    void aFullWindowRefusesOffersAndCallsBackWhenDrained() throws Exception {
        KafkaBus bus = bus(KafkaBusSettings.of(kafka.bootstrapServers(), prefix, 3, "n1").withInFlight(8, 1 << 20));
        Set<Double> got = ConcurrentHashMap.newKeySet();
        bus.subscribe(Topic.READINGS, "rules", (k, r) -> got.add(r.value()));
        int accepted = 0;
        int refusedAt = -1;
        for (int i = 0; i < 10_000 && refusedAt < 0; i++) {
            List<Reading> batch = List.of(reading("d1", 3 * i), reading("d1", 3 * i + 1), reading("d1", 3 * i + 2));
            if (bus.offerAll(Topic.READINGS, "d1", batch)) {
                accepted += 3;
            } else {
                refusedAt = i;
            }
        }
        assertThat(refusedAt).as("a window of 8 records refuses before 10,000 batches").isGreaterThanOrEqualTo(0);
        assertThat(stat(bus, "readings").refused()).isGreaterThanOrEqualTo(1);
        CountDownLatch writable = new CountDownLatch(1);
        bus.whenWritable(Topic.READINGS, "d1", writable::countDown);
        assertThat(writable.await(30, TimeUnit.SECONDS)).isTrue();
        // the refused batch is still the caller's: offered again, it goes through now
        assertThat(bus.offerAll(Topic.READINGS, "d1", List.of(reading("d1", 3 * refusedAt)))).isTrue();
        int total = accepted + 1;
        await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == total);
    }

    @Test
    void aRestartedConsumerResumesAfterWhatItHandled() throws Exception {
        KafkaBus producer = bus("ingest");
        KafkaBus first = bus("alerting-a");
        List<Integer> a = Collections.synchronizedList(new ArrayList<>());
        Subscription s = first.subscribe(Topic.FINDINGS, "alerting", (k, f) -> a.add((int) f.value()));
        for (int i = 0; i < 100; i++) {
            producer.publish(Topic.FINDINGS, "dev-" + (i % 7), finding(i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> a.size() >= 100);
        s.close();
        for (int i = 100; i < 200; i++) {
            producer.publish(Topic.FINDINGS, "dev-" + (i % 7), finding(i));
        }
        KafkaBus second = bus("alerting-b");
        List<Integer> b = Collections.synchronizedList(new ArrayList<>());
        second.subscribe(Topic.FINDINGS, "alerting", (k, f) -> b.add((int) f.value()));
        await().atMost(Duration.ofSeconds(60)).until(() -> b.size() >= 100);
        Thread.sleep(500);
        // offsets were committed after each handler call: nothing before the restart comes again, nothing after is missed
        assertThat(b).doesNotHaveDuplicates().allMatch(v -> v >= 100).hasSize(100);
    }

    @Test
    void aRecordThatIsNotAFindingIsCountedAndSkipped() throws Exception {
        KafkaBus bus = bus("n1");
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failures = new AtomicInteger();
        bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> {
            if (f.id().equals("f-1")) {
                failures.incrementAndGet();
                throw new IllegalStateException("handler bug");
            }
            got.add(f.id());
        });
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(prefix + "findings", "dev-0", "{broken".getBytes(StandardCharsets.UTF_8))).get();
        }
        bus.publish(Topic.FINDINGS, "dev-0", finding(1));
        bus.publish(Topic.FINDINGS, "dev-0", finding(7));
        await().atMost(Duration.ofSeconds(30)).until(() -> got.contains("f-7"));
        TopicStats s = stat(bus, "findings");
        assertThat(s.handlerErrors()).isEqualTo(1);
        assertThat(failures).hasValue(1);
        assertThat(bus.settings().kafkaTopic("findings")).isEqualTo(prefix + "findings");
    }

    @Test
    void aFramesNativeMemoryIsLetGoOnThisBusAsOnTheInProcessOne() throws Exception {
        KafkaBus bus = bus("n1");
        java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger(1);
        io.safegrid.model.bus.Topic<io.safegrid.model.bus.Shared> local = new io.safegrid.model.bus.Topic<>("held",
                io.safegrid.model.bus.Shared.class, io.safegrid.model.bus.Overflow.DROP_OLDEST);
        io.safegrid.model.bus.Shared m = new io.safegrid.model.bus.Shared() {
            @Override
            public void retain() { holders.incrementAndGet(); }

            @Override
            public void release() { holders.decrementAndGet(); }
        };
        CountDownLatch got = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger whileHandled = new java.util.concurrent.atomic.AtomicInteger(-1);
        bus.subscribe(local, "video", (k, f) -> {
            letGo.await();   // the publisher has let go: only the bus's hold is left
            whileHandled.set(holders.get());
            got.countDown();
        });
        assertThat(bus.offer(local, "cam-1", m)).isTrue();
        m.release();   // the publisher's hold
        letGo.countDown();
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(whileHandled.get()).as("held by the bus while its handler runs").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> holders.get() == 0);
    }

    @Test
    void framesStayInTheProcess() throws Exception {
        KafkaBus bus = bus("n1");
        CountDownLatch got = new CountDownLatch(1);
        bus.subscribe(Topic.FRAMES, "video", (k, f) -> got.countDown());
        assertThat(bus.offer(Topic.FRAMES, "cam-1",
                new VideoFrame("cam-1", SITE, Instant.now(), 1, 0.0, 4, 2, new byte[4 * 2 * 3]))).isTrue();
        assertThat(got.await(10, TimeUnit.SECONDS)).isTrue();
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains(prefix + "readings", prefix + "findings", prefix + "alarms", prefix + "cameras")
                    .doesNotContain(prefix + "frames");
        }
        // counted once the handler returned, which may trail its count-down
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stat(bus, "frames").delivered()).isEqualTo(1));
    }

    @Test
    void whenStoredRunsInOrderOnlyOnceTheBrokerHasStoredWhatTheThreadOfferedBefore() throws Exception {
        KafkaBus bus = bus("n1");
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<Long> inFlightThen = Collections.synchronizedList(new ArrayList<>());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 300; i++) {
                bus.publish(Topic.READINGS, "dev-" + (i % 7), reading("dev-" + (i % 7), k * 300 + i));
            }
            int mark = k;
            bus.whenStored(() -> {
                inFlightThen.add(stat(bus, "readings").queued());
                order.add(mark);
            }, () -> order.add(-1));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> order.size() == 3);
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(inFlightThen.get(2)).as("the broker had answered every record before the last callback").isZero();
    }

    private static TopicStats stat(KafkaBus bus, String topic) {
        return bus.stats().stream().filter(s -> s.topic().equals(topic)).findFirst().orElseThrow();
    }

    @Test
    void readingsTravelInBundlesThatAConsoleConsumerCanReadAndABadLineCostsOnlyItself() throws Exception {
        KafkaBus bus = bus("n1");
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        bus.subscribe(Topic.READINGS, "rules", (key, r) -> {
            seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add((int) r.value());
            count.incrementAndGet();
        });
        // two publishing threads, as two ingest event loops, each with its own devices
        Thread[] loops = new Thread[2];
        for (int t = 0; t < loops.length; t++) {
            int first = t * 10;
            loops[t] = new Thread(() -> {
                try {
                    for (int n = 0; n < 500; n++) {
                        for (int d = first; d < first + 10; d++) {
                            bus.publish(Topic.READINGS, "dev-" + d, reading("dev-" + d, n));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            loops[t].start();
        }
        for (Thread t : loops) {
            t.join();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> count.get() >= 10_000);
        List<Integer> expected = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            expected.add(n);
        }
        assertThat(seen).hasSize(20);
        seen.values().forEach(l -> assertThat(l).isEqualTo(expected));

        // on the wire: fewer records than readings, each line "key TAB reading-JSON"
        Properties c = new Properties();
        c.put("bootstrap.servers", kafka.bootstrapServers());
        c.put("group.id", prefix + "console");
        c.put("auto.offset.reset", "earliest");
        int records = 0;
        int lines = 0;
        try (var console = new org.apache.kafka.clients.consumer.KafkaConsumer<String, String>(c,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.StringDeserializer())) {
            console.subscribe(List.of(prefix + "readings"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines < 10_000 && System.nanoTime() < deadline) {
                for (var r : console.poll(Duration.ofMillis(200))) {
                    records++;
                    assertThat(r.headers().lastHeader(Bundles.HEADER)).isNotNull();
                    for (String line : r.value().split("\n")) {
                        assertThat(line).matches("dev-\\d+\t\\{\"deviceId\":\"dev-\\d+\".*}");
                        lines++;
                    }
                }
            }
        }
        assertThat(lines).isEqualTo(10_000);
        assertThat(records).as("bundles, not a record per reading").isLessThan(lines / 5);

        // a bundle with a broken line: the lines around it still arrive, the broken one is counted
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        String good = new String(io.safegrid.bus.kafka.codec.JsonCodecs.forTopic(Topic.READINGS).encode(reading("dev-0", 500)),
                StandardCharsets.UTF_8);
        String later = good.replace("\"value\":500.0", "\"value\":501.0");
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(prefix + "readings", null, null, null,
                    ("dev-0\t" + good + "\ndev-0\t{broken\ndev-0\t" + later + "\n").getBytes(StandardCharsets.UTF_8),
                    List.of(new org.apache.kafka.common.header.internals.RecordHeader(Bundles.HEADER, new byte[] {1})))).get();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.get("dev-0").size() == 502);
        assertThat(seen.get("dev-0").subList(500, 502)).containsExactly(500, 501);
        // counted once the handler returned, which may trail what the handler added to seen
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(stat(bus, "readings").delivered()).isEqualTo(10_002));
    }

    @Test
    void aFindingDoesNotWaitForTheReadingsLinger() throws Exception {
        // the readings' producer lingers 6 s here; a finding published with a reading must not wait with it.
        // The linger is long so that a loaded machine's delays on the finding's way stay well apart from it
        KafkaBus bus = bus(new KafkaBusSettings(kafka.bootstrapServers(), prefix, 3, "n1", 100_000, 32L << 20,
                Duration.ofSeconds(3), Map.of(ProducerConfig.LINGER_MS_CONFIG, 6000)));
        long[] arrived = new long[2];
        CountDownLatch both = new CountDownLatch(2);
        bus.subscribe(Topic.READINGS, "rules", (k, r) -> {
            arrived[0] = System.nanoTime();
            both.countDown();
        });
        bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> {
            arrived[1] = System.nanoTime();
            both.countDown();
        });
        awaitMembersWithPartitions(prefix + "readings.rules", 1);
        awaitMembersWithPartitions(prefix + "findings.alerting", 1);
        long sent = System.nanoTime();
        bus.publish(Topic.READINGS, "dev-1", reading("dev-1", 1));
        bus.publish(Topic.FINDINGS, "dev-1", finding(1));
        assertThat(both.await(30, TimeUnit.SECONDS)).isTrue();
        long readingMs = TimeUnit.NANOSECONDS.toMillis(arrived[0] - sent);
        long findingMs = TimeUnit.NANOSECONDS.toMillis(arrived[1] - sent);
        assertThat(readingMs).as("the readings' producer lingered as told").isGreaterThanOrEqualTo(5000);
        assertThat(findingMs).as("the finding went at once, on the prompt producer").isLessThan(3000);
        assertThat(KafkaBus.promptProducerProps(bus.settings()))
                .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    }

    @Test
    void aFindingWhoseEvidenceIsOverTheTopicsRecordLimitArrivesWithoutItAndIsCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaBus bus = new KafkaBus(KafkaBusSettings.of(kafka.bootstrapServers(), prefix, 2, "n1"), meters);
        open.add(bus);
        Map<String, Finding> got = new ConcurrentHashMap<>();
        bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> got.put(f.id(), f));
        // the broker's default limit is 1 MiB a record, base64 makes 0.9 MB of JPEG 1.2 MB of JSON:
        // a 4K camera's evidence; the smaller one is a 1080p camera's
        byte[] large = new byte[900_000];
        byte[] small = new byte[200_000];
        new java.util.Random(1).nextBytes(large);
        new java.util.Random(2).nextBytes(small);
        bus.publish(Topic.FINDINGS, "cam-4k", evidence("f-large", "cam-4k", large));
        bus.publish(Topic.FINDINGS, "cam-hd", evidence("f-small", "cam-hd", small));
        await().atMost(Duration.ofSeconds(30)).until(() -> got.size() == 2);
        assertThat(got.get("f-small").snapshot()).isEqualTo(small);
        Finding withoutPicture = got.get("f-large");
        assertThat(withoutPicture.snapshot()).as("the alarm comes without its picture rather than not at all").isNull();
        assertThat(withoutPicture.kind()).isEqualTo(FindingKind.INTRUSION);
        assertThat(withoutPicture.zone()).isEqualTo("gate");
        assertThat(meters.get("safegrid.bus.kafka.evidence.dropped").tag("topic", "findings").counter().count()).isEqualTo(1);
        assertThat(meters.get("safegrid.bus.kafka.send.failures").tag("topic", "findings").counter().count()).isZero();
    }

    @Test
    void aTopicsOwnSmallerRecordLimitIsTheOneEvidenceIsKeptUnder() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(prefix + "findings", 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "300000")))).all().get(30, TimeUnit.SECONDS);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        KafkaBus bus = new KafkaBus(KafkaBusSettings.of(kafka.bootstrapServers(), prefix, 1, "n1"), meters);
        open.add(bus);
        Map<String, Finding> got = new ConcurrentHashMap<>();
        bus.subscribe(Topic.FINDINGS, "alerting", (k, f) -> got.put(f.id(), f));
        bus.publish(Topic.FINDINGS, "cam-hd", evidence("f-hd", "cam-hd", new byte[250_000]));   // 333 KB in base64
        await().atMost(Duration.ofSeconds(30)).until(() -> got.containsKey("f-hd"));
        assertThat(got.get("f-hd").snapshot()).isNull();
        assertThat(meters.get("safegrid.bus.kafka.evidence.dropped").tag("topic", "findings").counter().count()).isEqualTo(1);
    }

    private static Finding evidence(String id, String camera, byte[] jpeg) {
        return new Finding(id, FindingKind.INTRUSION, Level.ORANGE, Condition.ACTIVE, camera, SITE, "intrusion", "gate", 1, 1,
                Instant.now(), "object in restricted zone 'gate'", jpeg, Map.of());
    }
}
