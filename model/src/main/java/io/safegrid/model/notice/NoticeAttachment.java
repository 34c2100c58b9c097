package io.safegrid.model.notice;

import java.util.Arrays;

/**
 * A file that goes with a notice (a scheduled report's PDF or spreadsheet). Only a channel that can
 * carry files (mail) sends it; the others keep to the notice's link, which must open the same file.
 *
 * @param name      the file name the reader sees, e.g. {@code report-cty-monthly-2026-09-01.pdf}
 * @param mediaType e.g. {@code application/pdf}
 * @param bytes     the whole file: attachments are reports of a few MiB, made before the notice
 */
public record NoticeAttachment(String name, String mediaType, byte[] bytes) {
    public NoticeAttachment {
        if (name == null || name.isBlank() || mediaType == null || bytes == null) {
            throw new IllegalArgumentException("an attachment needs a name, a media type and its bytes");
        }
    }

    public int size() { return bytes.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoticeAttachment a && a.name.equals(name) && a.mediaType.equals(mediaType)
                && Arrays.equals(a.bytes, bytes);
    }

    @Override
    public int hashCode() { return 31 * name.hashCode() + Arrays.hashCode(bytes); }

    @Override
    public String toString() { return "NoticeAttachment[" + name + ", " + mediaType + ", " + bytes.length + " bytes]"; }
}
