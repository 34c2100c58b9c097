package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The data directory can be written: by writing (and removing) a file in it, or, where it does not
 * exist yet, a directory in its nearest existing parent. Permission bits alone would say yes to root
 * on a read-only file system.
 */
public final class DataDirCheck implements Check {
    static final String KEY = "node.data-dir";

    @Override
    public String titleKey() { return "check.datadir"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        return List.of(check(d.node().dataDir()));
    }

    static Finding check(Path configured) {
        Path dir = configured.toAbsolutePath().normalize();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Finding.fail(KEY, "datadir.unwritable", dir, "no existing parent");
        }
        if (!Files.isDirectory(existing)) {
            return Finding.fail(KEY, "datadir.notdir", dir, existing);
        }
        try {
            if (existing.equals(dir)) {
                Files.delete(Files.createTempFile(dir, ".doctor", ".tmp"));
                return Finding.ok(KEY, "datadir.ok", dir);
            }
            Files.delete(Files.createTempDirectory(existing, ".doctor"));
            return Finding.ok(KEY, "datadir.creatable", dir);
        } catch (IOException | SecurityException e) {
            return Finding.fail(KEY, "datadir.unwritable", dir, e.getClass().getSimpleName() + " " + e.getMessage());
        }
    }

    /** The nearest directory of {@code dir} that exists (itself, or a parent), for disk space. */
    static Path nearestExisting(Path dir) {
        Path p = dir.toAbsolutePath().normalize();
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        return p;
    }
}
