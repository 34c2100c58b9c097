package io.safegrid.ingest.gb28181;

import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.catalog.CatalogAssembly;
import io.safegrid.ingest.gb28181.device.DeviceRegistry;
import io.safegrid.ingest.gb28181.manscdp.MansException;
import io.safegrid.ingest.gb28181.manscdp.MansMessage;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.ingest.gb28181.sip.Sip;
import io.safegrid.model.grid.GridPath;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.sip.RequestEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MESSAGEs from devices: Keepalive, Alarm, and the answers to our Catalog, DeviceInfo and DeviceStatus
 * queries. Only a registered device is heard (403 otherwise, which makes a device register again).
 */
final class GbMessages {
    private static final Logger LOG = LoggerFactory.getLogger(GbMessages.class);

    private final Sip sip;
    private final Supplier<Gb28181Config> config;
    private final DeviceRegistry devices;
    private final CatalogAssembly catalogs;
    private final GbFindings findings;
    private final GbMetrics metrics;
    private final Clock clock;
    private final java.util.function.BiConsumer<String, String> reply;

    /** @param reply sends a MANSCDP body to a device in a MESSAGE of its own (after the 200 to the device's) */
    GbMessages(Sip sip, Supplier<Gb28181Config> config, DeviceRegistry devices, GbFindings findings, GbMetrics metrics,
               Clock clock, java.util.function.BiConsumer<String, String> reply) {
        this.reply = reply;
        this.sip = sip;
        this.config = config;
        this.devices = devices;
        this.catalogs = new CatalogAssembly(clock);
        this.findings = findings;
        this.metrics = metrics;
        this.clock = clock;
    }

    void handle(RequestEvent e) {
        Request req = e.getRequest();
        String id = Sip.userOf(req);
        if (id == null || !devices.isRegistered(id)) {
            LOG.info("MESSAGE from {} at {} refused: not registered", id, Sip.remoteHost(req));
            metrics.rejected("unregistered");
            sip.reply(e, Response.FORBIDDEN);
            return;
        }
        MansMessage m;
        try {
            ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
            m = Manscdp.parse(req.getRawContent(), ct == null ? null : ct.getParameter("charset"));
        } catch (MansException ex) {
            LOG.warn("MESSAGE from device {} unreadable: {}", id, ex.getMessage());
            metrics.rejected("unreadable");
            sip.reply(e, Response.BAD_REQUEST);
            return;
        }
        if (m.charsetGuessed()) {
            metrics.charsetGuessed.increment();
            LOG.info("MESSAGE from device {} was not in the charset it declared; read as {}", id, m.charset());
        }
        switch (m.kind() + "/" + m.cmdType()) {
            case "Notify/Keepalive" -> {
                devices.keepalive(id);
                metrics.keepalives.increment();
                sip.reply(e, Response.OK);
            }
            case "Notify/Alarm" -> alarm(e, id, m);
            case "Response/Catalog" -> {
                sip.reply(e, Response.OK);
                catalog(id, m);
            }
            case "Response/DeviceInfo", "Response/DeviceStatus" -> {
                sip.reply(e, Response.OK);
                info(id, m);
            }
            default -> {
                LOG.debug("MESSAGE {}/{} from device {} not used", m.kind(), m.cmdType(), id);
                metrics.rejected("unsupported");
                sip.reply(e, Response.OK);
            }
        }
    }

    private void alarm(RequestEvent e, String deviceId, MansMessage m) {
        String source = m.deviceId() == null || m.deviceId().isEmpty() ? deviceId : m.deviceId();
        GridPath site = siteOf(deviceId, source);
        int priority = m.integer("AlarmPriority", 4);
        String type = null;
        var info = MansMessage.child(m.root(), "Info");
        if (info != null) {
            type = MansMessage.text(info, "AlarmType");
        }
        boolean taken = findings.alarm(source, site, priority, m.text("AlarmMethod"), type, m.text("AlarmDescription"),
                m.text("AlarmTime"), clock.instant());
        if (taken) {
            metrics.alarms.increment();
            LOG.info("GB/T 28181 alarm from {} (device {}): priority {} {}", source, deviceId, priority,
                    m.text("AlarmDescription"));
            sip.reply(e, Response.OK);
            // the platform confirms an alarm with a Response of its own, or devices send it again
            reply.accept(deviceId, "<Response>\r\n<CmdType>Alarm</CmdType>\r\n<SN>" + m.sn() + "</SN>\r\n<DeviceID>"
                    + Manscdp.escape(source) + "</DeviceID>\r\n<Result>OK</Result>\r\n</Response>\r\n");
        } else {
            // not accepted: the device is told to send it again rather than have it lost
            LOG.warn("GB/T 28181 alarm from {} not taken: findings queue full", source);
            sip.reply(e, Response.SERVICE_UNAVAILABLE);
        }
    }

    private GridPath siteOf(String deviceId, String channelId) {
        Gb28181Config.Device d = config.get().device(deviceId).orElse(null);
        if (d == null) {
            return null;
        }
        return d.channels().stream().filter(c -> c.id().equals(channelId)).map(Gb28181Config.Channel::grid)
                .findFirst().orElse(d.grid());
    }

    private void catalog(String id, MansMessage m) {
        CatalogAssembly.Piece p = catalogs.add(id, m);
        // counted before the device shows them, so whoever sees the channels sees the count
        metrics.catalogItems.increment(p.channels().size());
        devices.channels(id, p.channels());
        if (p.complete()) {
            LOG.info("GB/T 28181 device {} catalog complete: {} channel(s)", id, p.received());
        } else {
            LOG.debug("GB/T 28181 device {} catalog: {} of {}", id, p.received(), p.sumNum());
        }
    }

    private void info(String id, MansMessage m) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String k : new String[] {"DeviceName", "Manufacturer", "Model", "Firmware", "Channel", "Online", "Status",
                "Encode", "Record", "DeviceTime"}) {
            String v = m.text(k);
            if (v != null && !v.isEmpty()) {
                fields.put(k, v);
            }
        }
        devices.info(id, fields);
        LOG.debug("GB/T 28181 device {} {}: {}", id, m.cmdType(), fields);
    }
}
