package io.safegrid.config.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links to one alarm for one person, as notifications carry them: {@code /m/<alarm>?t=<token>}
 * where the token is {@code user.expiry.HMAC-SHA256(alarm|user|expiry)}. The key is the node's
 * {@value #KEY_FILE} in its data directory, made (32 random bytes, owner-only) when missing; nodes
 * that must honour each other's links share that file. Alerting signs, the console verifies.
 */
public final class AlarmLinks {
    public static final String KEY_FILE = "link-signing.key";
    /** How long a notification's link works: a night shift and the morning after. */
    public static final Duration VALID_FOR = Duration.ofHours(24);
    private static final Map<Path, AlarmLinks> BY_DIR = new ConcurrentHashMap<>();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final byte[] key;

    public AlarmLinks(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a link key needs at least 16 bytes");
        }
        this.key = key.clone();
    }

    /**
     * The links of the node whose data directory is {@code dir}; one instance per directory in this
     * process, so alerting and the console of one node agree. A directory that does not exist (a
     * test's settings) gets a key that lives as long as the process.
     */
    public static AlarmLinks forDataDir(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        return BY_DIR.computeIfAbsent(d, AlarmLinks::load);
    }

    private static AlarmLinks load(Path dir) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        if (!Files.isDirectory(dir)) {
            return new AlarmLinks(fresh);
        }
        Path file = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    Files.createFile(file);
                }
                Files.writeString(file, HexFormat.of().formatHex(fresh) + "\n", StandardOpenOption.TRUNCATE_EXISTING);
            }
            return new AlarmLinks(HexFormat.of().parseHex(Files.readString(file).strip()));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return load(dir);   // another stage of this node made it a moment ago
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the link key " + file, e);
        }
    }

    /** A token for {@code user} to open alarm {@code alarmId} until {@code expires}. */
    public String token(String alarmId, String user, Instant expires) {
        long x = expires.getEpochSecond();
        return B64.encodeToString(user.getBytes(StandardCharsets.UTF_8)) + "." + x + "." + mac(alarmId, user, x);
    }

    /** The path of the phone page with its token, e.g. {@code /m/a-42?t=…}. */
    public String path(String alarmId, String user, Instant expires) {
        return "/m/" + alarmId + "?t=" + token(alarmId, user, expires);
    }

    /** What a valid token says: who it was for and until when. */
    public record Grant(String user, Instant expires, String signature) { }

    /** The grant, when {@code token} was made here for {@code alarmId} and has not expired at {@code now}. */
    public Optional<Grant> verify(String alarmId, String token, Instant now) {
        if (token == null || alarmId == null) {
            return Optional.empty();
        }
        String[] p = token.split("\\.", -1);
        if (p.length != 3) {
            return Optional.empty();
        }
        try {
            String user = new String(Base64.getUrlDecoder().decode(p[0]), StandardCharsets.UTF_8);
            long x = Long.parseLong(p[1]);
            String expected = mac(alarmId, user, x);
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), p[2].getBytes(StandardCharsets.US_ASCII))) {
                return Optional.empty();
            }
            Instant expires = Instant.ofEpochSecond(x);
            return now.isBefore(expires) ? Optional.of(new Grant(user, expires, p[2])) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String mac(String alarmId, String user, long expires) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            // lengths first, so "a|b" + "c" and "a" + "b|c" cannot sign the same bytes
            String msg = alarmId.length() + ":" + alarmId + "|" + user.length() + ":" + user + "|" + expires;
            return B64.encodeToString(m.doFinal(msg.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from this Java", e);
        }
    }
}
