package io.safegrid.config.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void hashesVerifyAndUseTheRequiredStrength() {
        String h = PasswordHash.hash("正确的密码 correct horse".toCharArray());
        assertThat(h).matches("pbkdf2-sha256\\$210000\\$[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}");
        assertThat(PasswordHash.isWellFormed(h)).isTrue();
        assertThat(PasswordHash.verify("正确的密码 correct horse".toCharArray(), h)).isTrue();
        assertThat(PasswordHash.verify("正确的密码 correct hors".toCharArray(), h)).isFalse();
        assertThat(PasswordHash.verify("".toCharArray(), h)).isFalse();
    }

    @Test
    void eachHashHasItsOwnSalt() {
        String a = PasswordHash.hash("same".toCharArray(), 1000);
        String b = PasswordHash.hash("same".toCharArray(), 1000);
        assertThat(a).isNotEqualTo(b);
        assertThat(PasswordHash.verify("same".toCharArray(), a)).isTrue();
        assertThat(PasswordHash.verify("same".toCharArray(), b)).isTrue();
    }

    @Test
    void storedIterationCountIsHonoured() {
        String weak = PasswordHash.hash("pw".toCharArray(), 1000);
        assertThat(weak).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHash.verify("pw".toCharArray(), weak)).isTrue();
        // the same salt and hash under another count must not verify
        assertThat(PasswordHash.verify("pw".toCharArray(), weak.replace("$1000$", "$1001$"))).isFalse();
    }

    @Test
    void knownVectorFromTheDemoFile() {
        assertThat(PasswordHash.verify("Demo-Admin-2026".toCharArray(),
                "pbkdf2-sha256$210000$t8g16LnYbQowb1TkGxDk/g==$kylYcfztqaORkGE0fi7wA2UL5iahKzu+5D4bCoqOWSE=")).isTrue();
    }

    @Test
    void malformedHashesNeverVerifyAndAreRecognised() {
        for (String bad : new String[] {null, "", "plaintext", "pbkdf2-sha256$abc$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
                "pbkdf2-sha1$1000$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==", "pbkdf2-sha256$0$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA==",
                "pbkdf2-sha256$1000$c2FsdHNhbHQ=$!!!!"}) {
            assertThat(PasswordHash.isWellFormed(bad)).as(String.valueOf(bad)).isFalse();
            assertThat(PasswordHash.verify("x".toCharArray(), bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
