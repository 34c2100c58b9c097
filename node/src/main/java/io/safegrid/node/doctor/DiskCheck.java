package io.safegrid.node.doctor;

import io.safegrid.alerting.disk.DiskSettings;
import io.safegrid.config.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Free space under the data directory against the watermarks the alarm service applies ({@link DiskSettings}). */
public final class DiskCheck implements Check {

    @Override
    public String titleKey() { return "check.disk"; }

    @Override
    public List<Finding> run(Deployment d, Set<String> roles) {
        Path dir = DataDirCheck.nearestExisting(d.node().dataDir());
        if (dir == null) {
            return List.of();   // the data directory check says why
        }
        DiskSettings w = DiskSettings.of(d.acceptance().disk());
        try {
            long free = Files.getFileStore(dir).getUsableSpace();
            if (free < w.refuseFreeBytes()) {
                return List.of(Finding.fail(DataDirCheck.KEY, "disk.refusing", dir, size(free), size(w.refuseFreeBytes())));
            }
            if (free < w.warnFreeBytes()) {
                return List.of(Finding.warn(DataDirCheck.KEY, "disk.low", dir, size(free), size(w.warnFreeBytes())));
            }
            return List.of(Finding.ok(DataDirCheck.KEY, "disk.ok", dir, size(free), size(w.warnFreeBytes())));
        } catch (IOException e) {
            return List.of(Finding.fail(DataDirCheck.KEY, "datadir.unwritable", dir, e.getMessage()));
        }
    }

    static String size(long bytes) {
        double mib = bytes / (1024.0 * 1024);
        return mib >= 1024 ? String.format(Locale.ROOT, "%.1f GiB", mib / 1024) : String.format(Locale.ROOT, "%.0f MiB", mib);
    }
}
