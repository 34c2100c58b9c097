package io.safegrid.cascade.link;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One length-prefixed JSON frame of the link protocol (docs/cascade.md). Unused fields are null and
 * left out of the JSON.
 *
 * @param last   HELLO/WELCOME: the sequence of the last message the sender has applied from the other end
 * @param seq    MSG: the message's sequence in its sender's queue; ACK: everything up to it is applied
 */
public record Frame(Type type, String peer, String token, Long seq, Long last, String reason, JsonNode body) {

    public enum Type { HELLO, WELCOME, DENIED, MSG, ACK, PING }

    public static Frame hello(String peer, String token, long last) {
        return new Frame(Type.HELLO, peer, token, null, last, null, null);
    }

    public static Frame welcome(long last) { return new Frame(Type.WELCOME, null, null, null, last, null, null); }

    public static Frame denied(String reason) { return new Frame(Type.DENIED, null, null, null, null, reason, null); }

    public static Frame msg(long seq, JsonNode body) { return new Frame(Type.MSG, null, null, seq, null, null, body); }

    public static Frame ack(long seq) { return new Frame(Type.ACK, null, null, seq, null, null, null); }

    public static Frame ping() { return new Frame(Type.PING, null, null, null, null, null, null); }

    @Override
    public String toString() {
        return "Frame[" + type + (peer == null ? "" : " peer=" + peer) + (seq == null ? "" : " seq=" + seq)
                + (last == null ? "" : " last=" + last) + (reason == null ? "" : " reason=" + reason) + "]";
    }
}
