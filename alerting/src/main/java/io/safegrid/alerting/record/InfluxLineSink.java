package io.safegrid.alerting.record;

import com.influxdb.client.InfluxDBClient;
import com.influxdb.client.InfluxDBClientFactory;
import com.influxdb.client.InfluxDBClientOptions;
import com.influxdb.client.WriteApiBlocking;
import com.influxdb.exceptions.InfluxException;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * Writes through influxdb-client-java's {@link WriteApiBlocking} to {@code /api/v2/write}: InfluxDB 2.x,
 * the embedded QuestDB and VictoriaMetrics all take it.
 *
 * <p>Blocking rather than the async {@code WriteApi}: the async API buffers, retries and finally
 * gives up on a batch in its own threads, so we could not tell which points reached the server.
 * With a blocking call the writer thread knows, batch by batch, and can spool exactly the batch
 * that failed, before anything newer — which is what keeps the record complete and in order.
 */
final class InfluxLineSink implements LineSink {
    private final InfluxDBClient client;
    private final WriteApiBlocking writes;
    private final String org;
    private final String bucket;

    InfluxLineSink(String url, RecordSettings s) {
        long timeoutMs = s.requestTimeout().toMillis();
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .connectTimeout(java.time.Duration.ofMillis(timeoutMs))
                .readTimeout(java.time.Duration.ofMillis(timeoutMs))
                .writeTimeout(java.time.Duration.ofMillis(timeoutMs))
                .retryOnConnectionFailure(false);
        InfluxDBClientOptions.Builder options = InfluxDBClientOptions.builder()
                .url(url)
                .org(s.org())
                .bucket(s.bucket())
                .okHttpClient(http);
        if (!s.token().isEmpty()) {
            options.authenticateToken(s.token().toCharArray());
        }
        this.client = InfluxDBClientFactory.create(options.build());
        // gzip pays on a network link; to the embedded QuestDB over loopback it would only burn CPU
        if (s.gzip() && s.target() == RecordSettings.Target.INFLUXDB) {
            client.enableGzip();
        }
        this.writes = client.getWriteApiBlocking();
        this.org = s.org();
        this.bucket = s.bucket();
    }

    @Override
    public void write(List<String> lines) throws WriteFailure {
        try {
            writes.writeRecords(bucket, org, LineEncoder.PRECISION, lines);
        } catch (InfluxException e) {
            int status = e.status();
            // 400/422: the server read the data and refused it; sending it again cannot help.
            boolean retryable = status != 400 && status != 422;
            throw new WriteFailure(e.getMessage(), status, retryable, e);
        } catch (RuntimeException e) {
            throw new WriteFailure(String.valueOf(e.getMessage()), 0, true, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
