package io.safegrid.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The login of the embedded QuestDB's HTTP endpoint (user {@value #USER}). Without one, any local
 * user of the node's host could read and rewrite the record through 127.0.0.1. The password is
 * {@code record.questdb-password} when configured, else one generated on first start and kept in
 * {@value #FILE} under the record's data directory (readable by the node's user only), so it
 * survives restarts and an operator can read it there. It is never logged.
 */
public final class QuestDbLogin {
    /** QuestDB's HTTP user name. */
    public static final String USER = "safegrid";
    /** The generated password's file, in {@link RecordSettings#dataDir()}. */
    public static final String FILE = "questdb-http-password";

    private QuestDbLogin() {
    }

    /** The configured password ({@link RecordSettings#token()}), else the data directory's, created if missing. */
    public static synchronized String password(RecordSettings s) {
        if (!s.token().isEmpty()) {
            return s.token();
        }
        Path file = s.dataDir().resolve(FILE);
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(s.dataDir());
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException notPosix) {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException raced) {
                    return read(file);
                }
                Files.writeString(file, fresh + "\n", StandardCharsets.US_ASCII);
                return fresh;
            }
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the record's QuestDB password in " + file, e);
        }
    }

    /** The {@code Authorization} header value for {@code password}. */
    public static String authorization(String password) {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String read(Path file) throws IOException {
        String p = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (p.isEmpty()) {
            throw new IOException("empty password file " + file);
        }
        return p;
    }
}
