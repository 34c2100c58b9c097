package io.safegrid.config.auth;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes for {@code users[].password-hash}: PBKDF2WithHmacSHA256 with a random 16-byte
 * salt, stored as {@code pbkdf2-sha256$iterations$saltBase64$hashBase64}. 210,000 iterations is
 * OWASP's 2023 floor for PBKDF2-SHA256; stored hashes keep their own count, so it can be raised
 * later without breaking old ones.
 *
 * <p>Make a hash for the config file: {@code java -cp safegrid-config.jar io.safegrid.config.auth.PasswordHash}
 * (reads the password from the console without echo, or from stdin).
 */
public final class PasswordHash {
    public static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final Pattern FORMAT = Pattern.compile(PREFIX + "\\$(\\d{1,9})\\$([A-Za-z0-9+/=]{8,})\\$([A-Za-z0-9+/=]{16,})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        return hash(password, ITERATIONS);
    }

    static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = pbkdf2(password, salt, iterations, HASH_BITS);
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** True when {@code password} matches; false for a wrong password or a malformed hash. Constant time in the hash. */
    public static boolean verify(char[] password, String stored) {
        if (stored == null || !FORMAT.matcher(stored).matches()) {
            return false;
        }
        String[] parts = stored.split("\\$");
        int iterations = Integer.parseInt(parts[1]);
        if (iterations < 1) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            expected = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] actual = pbkdf2(password, salt, iterations, expected.length * 8);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Whether a config value has the shape of a hash this class can verify (not whether it is right). */
    public static boolean isWellFormed(String stored) {
        if (stored == null || !FORMAT.matcher(stored).matches()) {
            return false;
        }
        String[] parts = stored.split("\\$");
        try {
            return Integer.parseInt(parts[1]) >= 1 && Base64.getDecoder().decode(parts[2]).length >= 8
                    && Base64.getDecoder().decode(parts[3]).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] pbkdf2(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Prints the hash of a password read from the console (no echo) or the first line of stdin. */
    public static void main(String[] args) throws java.io.IOException {
        char[] password;
        if (System.console() != null) {
            password = System.console().readPassword("password: ");
        } else {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                    java.nio.charset.StandardCharsets.UTF_8)).readLine();
            password = line == null ? new char[0] : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("no password given");
            System.exit(2);
        }
        System.out.println(hash(password));
        Arrays.fill(password, '\0');
    }
}
