package io.safegrid.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Makes a report (汇总汇报) on a running node through its console API, as the logged-in user would,
 * showing its progress, and saves the PDF or xlsx.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Make a daily, weekly or monthly report of a grid node on a running node and save it as PDF or xlsx.")
final class ReportCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--console", defaultValue = "http://127.0.0.1:8080", description = "the node's console URL (default: ${DEFAULT-VALUE})")
    URI console;
    @Option(names = "--user", required = true, description = "a console user")
    String user;
    @Option(names = "--password-env", defaultValue = "SAFEGRID_PASSWORD", description = "environment variable holding the password (default: ${DEFAULT-VALUE})")
    String passwordEnv;
    @Option(names = "--password-file", description = "a file holding the password (instead of the environment)")
    Path passwordFile;
    @Option(names = "--node", description = "grid node (default: the user's scope)")
    String node;
    @Option(names = "--span", defaultValue = "monthly", description = "daily, weekly or monthly (default: ${DEFAULT-VALUE})")
    String span;
    @Option(names = "--day", description = "a day in the span, e.g. 2026-11-15 (default: today)")
    String day;
    @Option(names = "--lang", defaultValue = "zh", description = "zh or en (default: ${DEFAULT-VALUE})")
    String lang;
    @Option(names = "--out", required = true, description = "the file to write: .pdf or .xlsx")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String format = out.toString().endsWith(".xlsx") ? "xlsx" : "pdf";
        String password = passwordFile != null ? Files.readString(passwordFile).strip() : System.getenv(passwordEnv);
        if (password == null) {
            err.println("set the password in $" + passwordEnv + " or give --password-file");
            return 2;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectNode login = JSON.createObjectNode().put("user", user).put("password", password);
        HttpResponse<String> r = post(http, "/api/v1/login", login, null);
        if (r.statusCode() != 200) {
            err.println("login refused: " + r.statusCode() + " " + r.body());
            return 1;
        }
        String cookie = r.headers().firstValue("set-cookie").orElseThrow().split(";", 2)[0];
        ObjectNode ask = JSON.createObjectNode().put("span", span);
        if (node != null) {
            ask.put("node", node);
        }
        if (day != null) {
            ask.put("day", day);
        }
        r = post(http, "/api/v1/reports", ask, cookie);
        if (r.statusCode() != 202) {
            err.println("report refused: " + r.statusCode() + " " + r.body());
            return 1;
        }
        String id = JSON.readTree(r.body()).get("id").asText();
        JsonNode job;
        String shown = "";
        do {
            Thread.sleep(300);
            job = JSON.readTree(get(http, "/api/v1/reports/" + id, cookie, HttpResponse.BodyHandlers.ofString()).body()).get("job");
            String line = String.format("%3.0f%% %s", job.get("progress").asDouble() * 100, job.get("phase").asText());
            if (!line.equals(shown)) {
                err.println(line);
                err.flush();
                shown = line;
            }
        } while (job.get("state").asText().equals("running"));
        if (!job.get("state").asText().equals("done")) {
            err.println("report failed: " + job.get("error").asText());
            return 1;
        }
        HttpResponse<byte[]> file = get(http, "/api/v1/reports/" + id + "/report." + format + "?lang=" + lang, cookie,
                HttpResponse.BodyHandlers.ofByteArray());
        Files.write(out, file.body());
        spec.commandLine().getOut().printf("%s: %,d bytes%n", out, file.body().length);
        spec.commandLine().getOut().flush();
        return 0;
    }

    private HttpResponse<String> post(HttpClient http, String path, JsonNode body, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(console.resolve(path)).header("Content-Type", "application/json")
                .header("Origin", console.getScheme() + "://" + console.getAuthority())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> get(HttpClient http, String path, String cookie, HttpResponse.BodyHandler<T> h) throws Exception {
        return http.send(HttpRequest.newBuilder(console.resolve(path)).header("Cookie", cookie).GET().build(), h);
    }
}
