package io.safegrid.model.notice;

import io.safegrid.model.grid.GridPath;
import java.time.Instant;
import java.util.List;

/**
 * A notice for the people on duty at a grid node (its roster) and for named people, outside the
 * alarm flow (e.g. a hazard's deadline).
 *
 * @param key    the same on every attempt of this notice, so a receiver can drop a repeat
 * @param node   whose roster is told; null for the named people only
 * @param people user names told besides the roster
 * @param link   where to open it in the console
 * @param attachments files that mail carries along; the link must open the same (the other channels carry only it)
 */
public record GridNotice(String key, GridPath node, List<String> people, String subjectZh, String subjectEn,
                         String textZh, String textEn, String link, Instant at, List<NoticeAttachment> attachments) {
    public GridNotice {
        people = people == null ? List.of() : List.copyOf(people);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A notice with no files. */
    public GridNotice(String key, GridPath node, List<String> people, String subjectZh, String subjectEn,
                      String textZh, String textEn, String link, Instant at) {
        this(key, node, people, subjectZh, subjectEn, textZh, textEn, link, at, List.of());
    }
}
