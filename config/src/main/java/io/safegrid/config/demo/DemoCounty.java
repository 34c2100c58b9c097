package io.safegrid.config.demo;

import io.safegrid.config.Deployment;
import io.safegrid.config.DeploymentLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled demo county, 蒲县 (Puxian): a grid of three townships, six villages and ten
 * enterprises (coal mines, a chemical plant, a construction site …) with sensors over MQTT,
 * HJ 212 and HTTP, push cameras with zones, the rules, rosters and demo users. {@code safegrid demo}
 * writes it to disk with {@link #writeTo} and prints {@link #logins()}.
 */
public final class DemoCounty {
    public static final String RESOURCE = "/io/safegrid/config/demo/demo-county.yaml";
    public static final String FILE_NAME = "demo-county.yaml";
    private static final Pattern LOGIN = Pattern.compile("^# demo-login: (\\S+) / (\\S+) \\((.*)\\)$", Pattern.MULTILINE);

    /** A demo account, from the comment at the top of the demo file. */
    public record Login(String user, String password, String description) {
        @Override
        public String toString() { return user + " / " + password + " (" + description + ")"; }
    }

    private DemoCounty() {
    }

    /** The demo file's text, exactly as bundled. */
    public static String text() {
        try (InputStream in = DemoCounty.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The demo deployment, with {@code ${NAME}} references resolved from the process environment. */
    public static Deployment load() {
        return load(System::getenv);
    }

    public static Deployment load(Function<String, String> env) {
        return new DeploymentLoader(env).read(FILE_NAME, text(), null);
    }

    /**
     * Writes the demo file unless {@code file} already exists, so a demo someone has edited is kept.
     *
     * @return true when it was written, false when an existing file was left alone
     */
    public static boolean writeTo(Path file) {
        if (Files.exists(file)) {
            return false;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text(), StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo county to " + file, e);
        }
    }

    /** The demo logins and their plain passwords, for the demo to print. */
    public static List<Login> logins() {
        List<Login> out = new ArrayList<>();
        Matcher m = LOGIN.matcher(text());
        while (m.find()) {
            out.add(new Login(m.group(1), m.group(2), m.group(3)));
        }
        return out;
    }
}
