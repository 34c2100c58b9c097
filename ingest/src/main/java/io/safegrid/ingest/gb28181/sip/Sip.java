package io.safegrid.ingest.gb28181.sip;

import gov.nist.javax.sip.header.SIPDate;
import gov.nist.javax.sip.header.SIPDateHeader;
import gov.nist.javax.sip.message.SIPMessage;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.address.AddressFactory;
import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ViaHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One SIP provider with its factories, and the small things every handler needs from them. */
public record Sip(SipProvider provider, MessageFactory messages, HeaderFactory headers, AddressFactory addresses) {
    private static final Logger LOG = LoggerFactory.getLogger(Sip.class);
    /** GB/T 28181 time sync: local time without zone, {@code 2024-05-01T08:00:00.000}. */
    public static final DateTimeFormatter GB_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    public Response response(int status, Request request) {
        try {
            return messages.createResponse(status, request);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends a response in the request's server transaction (made here when the stack has none). */
    public void reply(RequestEvent e, Response r) {
        try {
            ServerTransaction st = e.getServerTransaction();
            if (st == null) {
                try {
                    st = provider.getNewServerTransaction(e.getRequest());
                } catch (TransactionAlreadyExistsException retransmission) {
                    return;   // the stack answers retransmissions itself
                }
            }
            st.sendResponse(r);
        } catch (SipException | javax.sip.InvalidArgumentException | RuntimeException ex) {
            LOG.warn("could not send {} to {}: {}", r.getStatusCode(), userOf(e.getRequest()), ex.toString());
        }
    }

    public void reply(RequestEvent e, int status) {
        reply(e, response(status, e.getRequest()));
    }

    /** The user part of From: a GB/T 28181 device's 20-digit id. */
    public static String userOf(javax.sip.message.Message m) {
        FromHeader from = (FromHeader) m.getHeader(FromHeader.NAME);
        if (from != null && from.getAddress().getURI() instanceof SipURI u) {
            return u.getUser();
        }
        return null;
    }

    /** The user part of To. */
    public static String userOfTo(javax.sip.message.Message m) {
        javax.sip.header.ToHeader to = (javax.sip.header.ToHeader) m.getHeader(javax.sip.header.ToHeader.NAME);
        if (to != null && to.getAddress().getURI() instanceof SipURI u) {
            return u.getUser();
        }
        return null;
    }

    /** Where the message came from on the network (not what its headers claim: NAT). */
    public static String remoteHost(javax.sip.message.Message m) {
        return ((SIPMessage) m).getRemoteAddress().getHostAddress();
    }

    public static int remotePort(javax.sip.message.Message m) {
        return ((SIPMessage) m).getRemotePort();
    }

    public static String transportOf(Request r) {
        ViaHeader via = (ViaHeader) r.getHeader(ViaHeader.NAME);
        return via == null ? "UDP" : via.getTransport().toUpperCase(java.util.Locale.ROOT);
    }

    /** A {@code Date} header in GB/T 28181's format (the stack's own would be RFC 1123). */
    public static SIPDateHeader gbDate(LocalDateTime time) {
        SIPDateHeader h = new SIPDateHeader();
        h.setDate(new GbDate(time));
        return h;
    }

    private static final class GbDate extends SIPDate {
        private final String text;

        GbDate(LocalDateTime time) {
            this.text = GB_DATE.format(time);
        }

        @Override
        public StringBuilder encode(StringBuilder b) {
            return b.append(text);
        }

        @Override
        public Object clone() {
            return this;
        }
    }
}
