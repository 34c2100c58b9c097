package io.safegrid.node.gb28181;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.safegrid.config.ConfigSource;
import io.safegrid.config.DeploymentLoader;
import io.safegrid.ingest.gb28181.Gb28181Server;
import io.safegrid.ingest.gb28181.device.CatalogChannel;
import io.safegrid.ingest.gb28181.device.GbDevice;
import io.safegrid.ingest.gb28181.live.PlaySession;
import io.safegrid.node.TestCounty;
import io.safegrid.node.simulate.DemoField;
import io.safegrid.node.wiring.Metrics;
import io.safegrid.node.wiring.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GB/T 28181 upward cascade between two whole nodes in one JVM, on ephemeral ports: the demo county's
 * node, with its simulated NVR registered to it, registers to a city node as a lower platform; the city
 * gets the shared channel in the county's Catalog, INVITEs it through the county, and decodes its picture.
 */
class GbCascadeNodesTest {
    private static final String CITY = "14100000002000000001";
    private static final String COUNTY = "14103300002000000001";
    private static final String SHARED = "14103300001310000001";
    private static final String PASSWORD = "county-to-city-7Rk2";

    @TempDir
    Path dir;
    private Node city;
    private Node county;
    private DemoField field;

    @AfterEach
    void stop() {
        if (field != null) {
            field.close();
        }
        if (county != null) {
            county.close();
        }
        if (city != null) {
            city.close();
        }
    }

    /** The demo county with its {@code gb28181:} section (the file's last) replaced. */
    private static Node node(Path data, String gb28181) throws Exception {
        String yaml = TestCounty.yaml(data);
        yaml = yaml.substring(0, yaml.indexOf("\ngb28181:\n") + 1) + gb28181;
        ConfigSource c = ConfigSource.of(new DeploymentLoader(k -> null).read("node.yaml", yaml, null));
        return new Node(c, Set.of("ingest"), Metrics.create()).start();
    }

    @Test
    void theCountyNodeRegistersToTheCityNodeWhichListsAndPlaysItsSharedChannel() throws Exception {
        city = node(dir.resolve("city"), """
                gb28181:
                  server-id: "%s"
                  listen-port: 0
                  devices:
                    - {id: "%s", name: 蒲县平台, password: %s, grid: puxian}
                """.formatted(CITY, COUNTY, PASSWORD));
        Gb28181Server atCity = city.stages().gb28181();
        county = node(dir.resolve("county"), """
                gb28181:
                  server-id: "%s"
                  listen-port: 0
                  devices:
                    - id: "14103300001180000001"
                      name: 王家庄煤业NVR
                      password: demo-gb-nvr-5Ub8
                      grid: puxian/kecheng/wangjiazhuang/wjz-coal
                      channels:
                        - {id: "%s", name: 王家庄煤业主井口}
                        - {id: "14103300001310000002", name: 王家庄煤业变电所}
                  upper:
                    - id: "%s"
                      host: 127.0.0.1
                      port: %d
                      password: %s
                      keepalive-interval: 5s
                      share: ["%s"]
                """.formatted(COUNTY, SHARED, CITY, atCity.port(), PASSWORD, SHARED));
        field = new DemoField().startGb28181(county.config().current(), "127.0.0.1", county.stages().gb28181Port());

        // the county's Catalog answer names what its NVR reported; the city may have asked before the NVR did
        await().atMost(Duration.ofSeconds(30)).until(() -> county.stages().gb28181().devices().get(0).online());
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            GbDevice c = countyAtCity(atCity);
            if (c == null || !c.online()) {
                return false;
            }
            if (c.channels().isEmpty() || c.channels().get(0).name().equals(SHARED)) {
                atCity.queryAll(COUNTY);
                return false;
            }
            return true;
        });
        assertThat(countyAtCity(atCity).channels()).extracting(CatalogChannel::id, CatalogChannel::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(SHARED, "王家庄煤业主井口"));

        List<Integer> widths = new CopyOnWriteArrayList<>();
        // the INVITE crosses the county node to the NVR and back, on a loaded machine too
        PlaySession s = atCity.play(SHARED, false, Duration.ofSeconds(20), Duration.ofSeconds(30), f -> widths.add(f.imageWidth));
        try {
            assertThat(s.failure()).isNull();
            Duration first = s.firstPicture().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> widths.size() >= 5);
            assertThat(widths).as("the simulated NVR's 320x240 test pattern, relayed by the county").containsOnly(320);
            System.out.printf("city node: INVITE through the county node to the first decoded picture in %d ms%n", first.toMillis());
        } finally {
            atCity.stop(s);
        }
    }

    private static GbDevice countyAtCity(Gb28181Server atCity) {
        return atCity.devices().stream().filter(d -> d.id().equals(COUNTY)).findFirst().orElse(null);
    }
}
