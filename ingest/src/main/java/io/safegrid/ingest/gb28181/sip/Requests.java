package io.safegrid.ingest.gb28181.sip;

import java.util.List;
import java.util.Locale;
import javax.sip.ClientTransaction;
import javax.sip.ListeningPoint;
import javax.sip.SipException;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.MaxForwardsHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;

/** Builds and sends out-of-dialog requests (MESSAGE, REGISTER) from one SIP identity. */
public final class Requests {
    private final Sip sip;
    private final String user;
    private final String domain;

    /** @param user this side's 20-digit id; {@code domain} its 10-digit SIP domain */
    public Requests(Sip sip, String user, String domain) {
        this.sip = sip;
        this.user = user;
        this.domain = domain;
    }

    /**
     * A request to {@code toUser} at host:port over {@code transport} ({@code UDP} or {@code TCP}); over
     * TCP the stack reuses the connection the peer opened, so a device behind NAT is reached.
     */
    public Request create(String method, String toUser, String host, int port, String transport, long cseq,
                          String callId) throws java.text.ParseException, javax.sip.InvalidArgumentException {
        String t = transport.toLowerCase(Locale.ROOT);
        ListeningPoint lp = sip.provider().getListeningPoint(t);
        SipURI target = sip.addresses().createSipURI(toUser, host + ":" + port);
        target.setTransportParam(t);
        SipURI fromUri = sip.addresses().createSipURI(user, domain);
        Address fromAddr = sip.addresses().createAddress(fromUri);
        FromHeader from = sip.headers().createFromHeader(fromAddr, Long.toHexString(Double.doubleToLongBits(Math.random())));
        ToHeader to = sip.headers().createToHeader(sip.addresses().createAddress(
                method.equals(Request.REGISTER) ? fromUri : sip.addresses().createSipURI(toUser, domain)), null);
        ViaHeader via = sip.headers().createViaHeader(lp.getIPAddress(), lp.getPort(), t, null);
        via.setRPort();
        CallIdHeader cid = callId == null ? sip.provider().getNewCallId() : sip.headers().createCallIdHeader(callId);
        CSeqHeader cs = sip.headers().createCSeqHeader(cseq, method);
        MaxForwardsHeader mf = sip.headers().createMaxForwardsHeader(70);
        return sip.messages().createRequest(target, method, cid, cs, from, to, List.of(via), mf);
    }

    /** Adds a MANSCDP body. */
    public void body(Request r, byte[] body) throws java.text.ParseException {
        ContentTypeHeader ct = sip.headers().createContentTypeHeader("Application", "MANSCDP+xml");
        r.setContent(body, ct);
    }

    /** Adds this side's Contact (REGISTER needs one). */
    public void contact(Request r, String transport) throws java.text.ParseException {
        ListeningPoint lp = sip.provider().getListeningPoint(transport.toLowerCase(Locale.ROOT));
        SipURI uri = sip.addresses().createSipURI(user, lp.getIPAddress() + ":" + lp.getPort());
        r.addHeader(sip.headers().createContactHeader(sip.addresses().createAddress(uri)));
    }

    public ClientTransaction send(Request r) throws SipException {
        ClientTransaction ct = sip.provider().getNewClientTransaction(r);
        ct.sendRequest();
        return ct;
    }
}
