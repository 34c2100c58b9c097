package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** With {@code bus.kind: kafka}: a broker of {@code bus.bootstrap-servers} answers and names its cluster. */
public final class KafkaCheck implements Check {
    static final String KEY = "bus.bootstrap-servers";

    @Override
    public String titleKey() { return "check.kafka"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        if (!d.bus().isKafka()) {
            return List.of();
        }
        String servers = d.bus().bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000))) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(8000));
            int brokers = cluster.nodes().get(10, TimeUnit.SECONDS).size();
            return List.of(Finding.ok(KEY, "kafka.ok", servers, Integer.toString(brokers)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } catch (Exception e) {
            return List.of(Finding.fail(KEY, "kafka.unreachable", servers));
        }
    }
}
