package io.safegrid.ingest.hj212;

/**
 * The replies the host sends, shaped as in the standard: system interaction (ST=91), the request's
 * QN, PW and MN echoed, Flag=4 (2017, no answer wanted; 0 to a 2005 sender).
 */
public final class Hj212Replies {
    private Hj212Replies() {
    }

    /** CN 9011 request reply with its QnRtn. */
    public static Hj212Reply requestReply(Hj212Packet request, int qnRtn) {
        return new Hj212Reply(header(request, "9011") + "QnRtn=" + qnRtn + "&&");
    }

    /** CN 9014 data acknowledgement: empty data area. */
    public static Hj212Reply dataAck(Hj212Packet request) {
        return new Hj212Reply(header(request, "9014") + "&&");
    }

    private static String header(Hj212Packet r, String cn) {
        StringBuilder b = new StringBuilder(96);
        if (r.qn() != null) {
            b.append("QN=").append(r.qn()).append(';');
        }
        b.append("ST=91;CN=").append(cn).append(';');
        if (r.pw() != null) {
            b.append("PW=").append(r.pw()).append(';');
        }
        if (r.mn() != null) {
            b.append("MN=").append(r.mn()).append(';');
        }
        b.append("Flag=").append(r.version() == 0 ? 0 : 4).append(";CP=&&");
        return b.toString();
    }
}
