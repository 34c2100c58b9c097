package io.safegrid.ingest.gb28181.cascade;

import gov.nist.javax.sip.SipStackImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.safegrid.config.Gb28181Config;
import io.safegrid.ingest.gb28181.manscdp.MansException;
import io.safegrid.ingest.gb28181.manscdp.MansMessage;
import io.safegrid.ingest.gb28181.manscdp.Manscdp;
import io.safegrid.ingest.gb28181.sip.Requests;
import io.safegrid.ingest.gb28181.sip.Sip;
import io.safegrid.model.bus.Bus;
import io.safegrid.model.bus.Subscription;
import io.safegrid.model.bus.Topic;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upward cascade: this platform registered, as a lower platform, to each upper platform in
 * {@code gb28181.upper}, on the server's own SIP port. Requests from an upper platform (identified by
 * its id in From and by the address it sends from) are answered here: Catalog/DeviceInfo/DeviceStatus
 * queries, and INVITE/ACK/BYE for shared channels. Raised alarms go up as Alarm notifications.
 */
public final class Cascade implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cascade.class);

    private final Sip sip;
    private final List<UpperLink> links = new ArrayList<>();
    private final UpperCatalog catalog;
    private final UpperStreams streams;
    private final UpperAlarms alarms;
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "gb28181-upper");
        t.setDaemon(true);
        return t;
    });
    private Subscription subscription;

    public Cascade(Supplier<Gb28181Config> config, Sip sip, SipStackImpl stack, Lower lower, String mediaHost,
                   ScheduledExecutorService timer, MeterRegistry registry, Clock clock) {
        this.sip = sip;
        Gb28181Config c = config.get();
        for (Gb28181Config.Upper u : c.uppers()) {
            links.add(new UpperLink(u, c.serverId(), sip, new Requests(sip, c.serverId(), c.domain()),
                    stack::getAuthenticationHelper, timer, clock, registry));
        }
        this.catalog = new UpperCatalog(c.serverId(), lower, config);
        this.streams = new UpperStreams(sip, c.serverId(), mediaHost, lower, workers, registry);
        this.alarms = new UpperAlarms(c.serverId(), config, clock, registry);
    }

    /** Registers to every upper platform, and sends alarms up where asked. */
    public void start(Bus bus) {
        links.forEach(UpperLink::start);
        if (bus != null && links.stream().anyMatch(l -> l.upper().alarms())) {
            subscription = bus.subscribe(Topic.ALARMS, "gb28181-upper", (key, e) -> alarms.onEvent(e, links));
        }
    }

    public List<UpperLink> links() { return List.copyOf(links); }

    /** @return false when the request is not from an upper platform */
    public boolean handle(RequestEvent e) {
        Request req = e.getRequest();
        UpperLink link = linkFrom(req);
        if (link == null) {
            return false;
        }
        switch (req.getMethod()) {
            case Request.MESSAGE -> query(link, e);
            case Request.INVITE -> streams.invite(link, e);
            case Request.ACK -> streams.ack(req);
            case Request.BYE -> streams.bye(e);
            default -> sip.reply(e, Response.METHOD_NOT_ALLOWED);
        }
        return true;
    }

    private UpperLink linkFrom(Request req) {
        String from = Sip.userOf(req);
        for (UpperLink l : links) {
            if (l.upper().id().equals(from) && sameHost(l.upper().host(), Sip.remoteHost(req))) {
                return l;
            }
        }
        return null;
    }

    private static boolean sameHost(String configured, String seen) {
        try {
            for (InetAddress a : InetAddress.getAllByName(configured)) {
                if (a.getHostAddress().equals(seen)) {
                    return true;
                }
            }
        } catch (java.net.UnknownHostException e) {
            return false;
        }
        return false;
    }

    private void query(UpperLink link, RequestEvent e) {
        Request req = e.getRequest();
        MansMessage q;
        try {
            ContentTypeHeader ct = (ContentTypeHeader) req.getHeader(ContentTypeHeader.NAME);
            q = Manscdp.parse(req.getRawContent(), ct == null ? null : ct.getParameter("charset"));
        } catch (MansException ex) {
            LOG.warn("MESSAGE from upper platform {} unreadable: {}", link.upper().id(), ex.getMessage());
            sip.reply(e, Response.BAD_REQUEST);
            return;
        }
        sip.reply(e, Response.OK);
        if (!"Query".equals(q.kind())) {
            LOG.debug("MESSAGE {}/{} from upper platform {} not used", q.kind(), q.cmdType(), link.upper().id());
            return;
        }
        link.charset(q.charset());
        List<String> answers = catalog.answer(q, link.upper());
        // after the 200 has gone out, and off the SIP stack's thread
        workers.execute(() -> answers.forEach(xml -> link.send(xml, q.charset(), q.cmdType() + " response")));
    }

    /** @return true when the response was to an upper platform's REGISTER or MESSAGE */
    public boolean onResponse(ResponseEvent e) {
        Response r = e.getResponse();
        for (UpperLink l : links) {
            if (l.owns(r)) {
                l.onResponse(r, e.getClientTransaction());
                return true;
            }
        }
        return false;
    }

    public boolean onTimeout(Request r) {
        for (UpperLink l : links) {
            if (l.owns(r)) {
                l.onTimeout(r);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        if (subscription != null) {
            subscription.close();
        }
        streams.closeAll();
        links.forEach(UpperLink::close);
        workers.shutdownNow();
    }
}
