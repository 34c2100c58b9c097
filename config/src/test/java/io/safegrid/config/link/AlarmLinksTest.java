package io.safegrid.config.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlarmLinksTest {
    static final Instant NOW = Instant.parse("2026-11-28T16:00:00Z");

    @Test
    void aTokenOpensItsAlarmForItsPersonUntilItExpires(@TempDir Path dir) throws Exception {
        AlarmLinks links = AlarmLinks.forDataDir(dir);
        String t = links.token("a-42", "zheng-ming", NOW.plusSeconds(3600));
        assertThat(links.verify("a-42", t, NOW)).get().extracting(AlarmLinks.Grant::user).isEqualTo("zheng-ming");
        assertThat(links.verify("a-42", t, NOW.plusSeconds(3600))).as("expired").isEmpty();
        assertThat(links.verify("a-43", t, NOW)).as("another alarm").isEmpty();
        String[] p = t.split("\\.");
        String otherUser = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("wang-fang".getBytes()) + "." + p[1] + "." + p[2];
        assertThat(links.verify("a-42", otherUser, NOW)).as("someone else's name on the token").isEmpty();
        String later = p[0] + "." + (Long.parseLong(p[1]) + 86400) + "." + p[2];
        assertThat(links.verify("a-42", later, NOW.plusSeconds(4000))).as("a moved expiry").isEmpty();
        assertThat(links.verify("a-42", "garbage", NOW)).isEmpty();
        assertThat(links.verify("a-42", "..", NOW)).isEmpty();

        // the key is kept in the data directory, owner-only, and a new process reads the same one
        Path key = dir.resolve(AlarmLinks.KEY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        AlarmLinks again = new AlarmLinks(java.util.HexFormat.of().parseHex(Files.readString(key).strip()));
        assertThat(again.verify("a-42", t, NOW)).isPresent();
        AlarmLinks stranger = new AlarmLinks(new byte[32]);
        assertThat(stranger.verify("a-42", t, NOW)).as("another node's key").isEmpty();
        assertThat(links.path("a-42", "zheng-ming", NOW)).startsWith("/m/a-42?t=");
    }
}
