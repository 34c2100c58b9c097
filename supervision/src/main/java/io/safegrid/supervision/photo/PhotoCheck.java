package io.safegrid.supervision.photo;

import io.safegrid.model.hazard.HazardRefused;
import io.safegrid.model.hazard.HazardRefused.Kind;
import io.safegrid.model.hazard.PhotoUpload;
import java.util.ArrayList;
import java.util.List;

/**
 * The hazard register's photo limits applied to inspection photos: size, count per item, and the
 * image type as its first bytes say, whatever the sender called it. Checked before anything is written.
 */
public final class PhotoCheck {
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private final int maxBytes;
    private final List<String> types;
    private final int perItem;

    public PhotoCheck(int maxBytes, List<String> types, int perItem) {
        this.maxBytes = maxBytes;
        this.types = List.copyOf(types);
        this.perItem = perItem;
    }

    /** The content type of each photo, in order; refuses the lot when one is wrong. */
    public List<String> contentTypes(List<PhotoUpload> photos, int already) {
        if (already + photos.size() > perItem) {
            throw new HazardRefused(Kind.INVALID, "svPhotoCount", "at most " + perItem + " photos per check item");
        }
        List<String> out = new ArrayList<>();
        for (PhotoUpload p : photos) {
            byte[] b = p.data();
            if (b == null || b.length == 0) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoType", "an empty photo");
            }
            if (b.length > maxBytes) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoTooLarge", "a photo of " + b.length + " bytes; at most "
                        + maxBytes + " are accepted");
            }
            String type = starts(b, JPEG) ? "jpeg" : starts(b, PNG) ? "png" : webp(b) ? "webp" : null;
            if (type == null || !types.contains(type)) {
                throw new HazardRefused(Kind.INVALID, "hazardPhotoType", "not an accepted image (" + String.join(", ", types) + ")");
            }
            out.add("image/" + type);
        }
        return out;
    }

    private static boolean starts(byte[] b, byte[] magic) {
        if (b.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean webp(byte[] b) {
        return b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E'
                && b[10] == 'B' && b[11] == 'P';
    }
}
