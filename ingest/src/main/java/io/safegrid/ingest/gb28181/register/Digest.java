package io.safegrid.ingest.gb28181.register;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.sip.header.AuthorizationHeader;

/**
 * HTTP digest (RFC 2617, MD5) as SIP and GB/T 28181 use it, server side: nonces and the check of an
 * Authorization header against a device's password, with or without {@code qop=auth}. JAIN-SIP's own
 * server helper checks only Proxy-Authorization, which a registrar does not receive.
 */
final class Digest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private Digest() {
    }

    static String nonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HEX.formatHex(b);
    }

    /** True when the header's response matches this password for this method. */
    static boolean matches(AuthorizationHeader a, String method, String password) {
        if (a.getUsername() == null || a.getRealm() == null || a.getNonce() == null || a.getURI() == null
                || a.getResponse() == null) {
            return false;
        }
        String alg = a.getAlgorithm();
        if (alg != null && !alg.equalsIgnoreCase("MD5")) {
            return false;
        }
        String ha1 = md5(a.getUsername() + ":" + a.getRealm() + ":" + password);
        String ha2 = md5(method + ":" + a.getURI());
        String qop = a.getQop();
        String expected = qop == null || qop.isEmpty()
                ? md5(ha1 + ":" + a.getNonce() + ":" + ha2)
                : md5(ha1 + ":" + a.getNonce() + ":" + nc(a) + ":" + a.getCNonce() + ":" + qop + ":" + ha2);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                a.getResponse().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    private static String nc(AuthorizationHeader a) {
        String raw = a.getParameter("nc");
        return raw != null ? raw : String.format("%08x", a.getNonceCount());
    }

    static String md5(String s) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JVM", e);
        }
    }
}
