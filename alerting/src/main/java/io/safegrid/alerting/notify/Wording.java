package io.safegrid.alerting.notify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.safegrid.model.notice.NoticeAttachment;
import java.util.List;

/**
 * What a notification says, laid out for each kind of channel. An alarm's comes from
 * {@link MessageRenderer} ({@link AlarmWording}); a grid notice's (a hazard's deadline, an archive
 * reminder) from {@link NoticeWording}. The channels only carry it.
 */
public interface Wording {
    /** Mail subject. */
    String subject();

    /** A robot's markdown title (what the chat list shows). */
    String title();

    /** Plain text, one fact a line (mail, text robots). */
    String text();

    String markdown();

    String html();

    /** One SMS line from the channel's {@code template} (null: the default line), at most {@code max} characters. */
    String sms(String template, int max);

    /** The webhook's JSON fields besides the delivery's own. */
    void fields(ObjectNode body);

    /** What the console channel logs. */
    String logLine();

    /** Files that go with it where the channel carries files (mail); an alarm has none. */
    default List<NoticeAttachment> attachments() { return List.of(); }
}
