package io.safegrid.hazard.photo;

import java.util.Optional;

/** Recognises an image from its first bytes, whatever the sender called it. */
public enum ImageType {
    JPEG("jpeg", "image/jpeg"), PNG("png", "image/png"), WEBP("webp", "image/webp");

    private final String id;
    private final String contentType;

    ImageType(String id, String contentType) {
        this.id = id;
        this.contentType = contentType;
    }

    public String id() { return id; }

    public String contentType() { return contentType; }

    public static Optional<ImageType> of(byte[] b) {
        if (b == null) {
            return Optional.empty();
        }
        if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Optional.of(PNG);
        }
        if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F'
                && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }
}
