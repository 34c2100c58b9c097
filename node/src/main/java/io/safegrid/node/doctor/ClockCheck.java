package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A hint for comparing this host's clock with the devices': readings stamped more than
 * {@code acceptance.max-clock-skew} ahead of it are refused, and HJ 212 loggers stamp DataTime in
 * Beijing time. Where systemd reports it, also whether the clock is NTP-synchronised.
 */
public final class ClockCheck implements Check {
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    @Override
    public String titleKey() { return "check.clock"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        List<Finding> out = new ArrayList<>();
        String now = ZonedDateTime.now(ZoneId.of("Asia/Shanghai")).format(DATA_TIME);
        out.add(Finding.ok("acceptance.max-clock-skew", "clock.hint", now, Long.toString(d.acceptance().maxClockSkew().toSeconds())));
        String synced = ntpSynchronized();
        if ("no".equals(synced)) {
            out.add(Finding.warn(null, "clock.unsynced"));
        } else if ("yes".equals(synced)) {
            out.add(Finding.ok(null, "clock.synced"));
        }
        return out;
    }

    /** "yes", "no", or null where systemd cannot tell (no timedatectl, a container). */
    private static String ntpSynchronized() {
        try {
            Process p = new ProcessBuilder("timedatectl", "show", "-p", "NTPSynchronized", "--value").redirectErrorStream(true).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && (v.equals("yes") || v.equals("no")) ? v : null;
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
