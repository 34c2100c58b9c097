package io.safegrid.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console:}: the video wall's viewer limit, the map's boundaries file and tile URL. */
class ConsoleConfigTest {
    private static final String HEAD = """
            name: t
            grid:
              id: xian
              kind: county
              children:
                - {id: plant, kind: enterprise, industry: chemicals}
            """;

    @TempDir
    Path dir;

    static Deployment read(String yaml) {
        return new DeploymentLoader(k -> null).read("county.yaml", yaml, null);
    }

    static List<String> errors(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> read(yaml));
        assertThat(e).as("expected the file to be rejected").isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void leftOutItServesSixteenViewersAndTheDemoMap() {
        assertThat(read(HEAD).console()).isEqualTo(ConsoleConfig.defaults());
        assertThat(ConsoleConfig.defaults().wallMaxViewers()).isEqualTo(16);
    }

    @Test
    void theViewerLimitIsReadAndMustBePositive() {
        assertThat(read(HEAD + "console: {wall: {max-viewers: 40}}\n").console().wallMaxViewers()).isEqualTo(40);
        assertThat(errors(HEAD + "console:\n  wall: {max-viewers: 0}\n"))
                .anySatisfy(e -> assertThat(e).contains("county.yaml:8:").contains("console.wall.max-viewers"));
        assertThat(errors(HEAD + "console: {wall: {viewers: 3}}\n")).anySatisfy(e -> assertThat(e).contains("viewers"));
    }
}
