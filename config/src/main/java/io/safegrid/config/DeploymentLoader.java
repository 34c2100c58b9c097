package io.safegrid.config;

import io.safegrid.config.yaml.DeploymentReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * Reads and validates the deployment file. Every problem is reported at once, each as
 * {@code file:line: path: message}; see docs/configuration.md for the schema.
 */
public final class DeploymentLoader {
    private final DeploymentReader reader;

    /** Resolves {@code ${NAME}} from the process environment. */
    public DeploymentLoader() {
        this(System::getenv);
    }

    /** @param env where {@code ${NAME}} references are looked up (tests pass a map's {@code get}) */
    public DeploymentLoader(Function<String, String> env) {
        this.reader = new DeploymentReader(env);
    }

    /** @throws ConfigException listing every problem, including an unreadable file */
    public static Deployment load(Path file) {
        return new DeploymentLoader().read(file);
    }

    /** @throws ConfigException listing every problem, including an unreadable file */
    public Deployment read(Path file) {
        return read(file.getFileName().toString(), text(file), file);
    }

    /** Reads content already taken from {@code file} (the watcher hashes what it reads, then parses the same bytes). */
    public Deployment read(Path file, byte[] content) {
        String name = String.valueOf(file.getFileName());
        return read(name, decode(name, content), file);
    }

    /** Reads text that did not come from a file (the bundled demo, tests). */
    public Deployment read(String fileName, String yaml, Path source) {
        return reader.read(fileName, yaml, source);
    }

    private static String decode(String name, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigError(name, 0, "", "not UTF-8 text (save the file as UTF-8)")));
        }
    }

    /** The file as UTF-8 text; anything else is a config error, not an I/O crash. */
    static String text(Path file) {
        String name = String.valueOf(file.getFileName());
        try {
            return decode(name, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigError(name, 0, "", "no such file: " + file.toAbsolutePath())));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(name, 0, "", "cannot read " + file.toAbsolutePath() + ": " + e)));
        }
    }
}
