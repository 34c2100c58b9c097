package io.safegrid.alerting.notify;

import io.safegrid.config.ChannelDef;
import io.safegrid.model.notice.NoticeAttachment;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP (Jakarta Mail / Eclipse Angus). Settings: {@code host}, {@code port} (default 25,
 * or 465 with {@code ssl}), {@code from}, {@code starttls} ({@code off}, {@code optional} (default) or
 * {@code required}), {@code ssl} (implicit TLS), {@code username} + {@code password} (AUTH when set),
 * {@code timeout}, {@code attachment-max-kb} (default 10240: all of a mail's files together, before
 * base64; many servers refuse mails over 10-25 MB). The mail is multipart/alternative (plain + HTML),
 * all UTF-8; a notice's files make it multipart/mixed with them after the text. A mail whose files are
 * over the limit is refused for good, naming the file and the limit: its text still carries the link.
 */
public final class SmtpNotifier implements Channel {
    static final int ATTACHMENT_MAX_KB = 10240;
    private final Duration timeout;

    public SmtpNotifier(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void check(ChannelDef channel, List<String> problems) {
        Settings s = new Settings(channel, problems);
        s.required("host");
        String from = s.required("from");
        if (from != null) {
            try {
                new InternetAddress(from, true);
            } catch (AddressException e) {
                s.problem("from '" + from + "' is not an e-mail address: " + e.getMessage());
            }
        }
        boolean ssl = s.bool("ssl", false);
        s.integer("port", ssl ? 465 : 25, 1, 65535);
        s.oneOf("starttls", "optional", "off", "optional", "required");
        if ((s.get("username") == null) != (s.get("password") == null)) {
            s.problem("username and password go together");
        }
        s.duration("timeout", timeout);
        s.integer("attachment-max-kb", ATTACHMENT_MAX_KB, 1, 1024 * 1024);
    }

    @Override
    public void send(Notification n, Wording w) throws Exception {
        Settings s = checkedSettings(n.channel());
        List<NoticeAttachment> files = w.attachments();
        long limit = s.integer("attachment-max-kb", ATTACHMENT_MAX_KB, 1, 1024 * 1024) * 1024L;
        long total = files.stream().mapToLong(NoticeAttachment::size).sum();
        if (total > limit) {
            throw new PermanentFailure("smtp " + n.channel().id() + ": the attachments " + files.stream()
                    .map(f -> f.name() + " (" + kib(f.size()) + " KiB)").toList() + " are " + kib(total)
                    + " KiB together, over this channel's attachment-max-kb of " + limit / 1024
                    + "; not sent to " + n.address() + " (the report is still at its link)");
        }
        InternetAddress to;
        try {
            to = new InternetAddress(n.address() == null ? "" : n.address(), true);
        } catch (AddressException e) {
            throw new PermanentFailure("smtp " + n.channel().id() + ": '" + n.address() + "' of " + n.recipient().name()
                    + " is not an e-mail address");
        }
        boolean ssl = s.bool("ssl", false);
        String starttls = s.oneOf("starttls", "optional", "off", "optional", "required");
        long ms = s.duration("timeout", timeout).toMillis();
        Properties p = new Properties();
        p.put("mail.smtp.host", s.get("host"));
        p.put("mail.smtp.port", String.valueOf(s.integer("port", ssl ? 465 : 25, 1, 65535)));
        p.put("mail.smtp.connectiontimeout", String.valueOf(ms));
        p.put("mail.smtp.timeout", String.valueOf(ms));
        p.put("mail.smtp.writetimeout", String.valueOf(ms));
        p.put("mail.smtp.ssl.enable", String.valueOf(ssl));
        p.put("mail.smtp.starttls.enable", String.valueOf(!"off".equals(starttls)));
        p.put("mail.smtp.starttls.required", String.valueOf("required".equals(starttls)));
        String user = s.get("username");
        p.put("mail.smtp.auth", String.valueOf(user != null));
        Session session = Session.getInstance(p);
        MimeMessage mail = new MimeMessage(session);
        mail.setFrom(new InternetAddress(s.get("from")));
        mail.setRecipient(jakarta.mail.Message.RecipientType.TO, to);
        mail.setSubject(w.subject(), "UTF-8");
        mail.setSentDate(new Date());
        mail.setHeader("X-SafeGrid-Delivery", n.key());
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(w.text(), "UTF-8");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(w.html(), "UTF-8", "html");
        MimeMultipart alt = new MimeMultipart("alternative");
        alt.addBodyPart(plain);
        alt.addBodyPart(html);
        if (files.isEmpty()) {
            mail.setContent(alt);
        } else {
            MimeMultipart mixed = new MimeMultipart("mixed");
            MimeBodyPart text = new MimeBodyPart();
            text.setContent(alt);
            mixed.addBodyPart(text);
            for (NoticeAttachment f : files) {
                MimeBodyPart file = new MimeBodyPart();
                file.setDataHandler(new DataHandler(new ByteArrayDataSource(f.bytes(), f.mediaType())));
                file.setFileName(f.name());
                file.setDisposition(MimeBodyPart.ATTACHMENT);
                mixed.addBodyPart(file);
            }
            mail.setContent(mixed);
        }
        try {
            if (user != null) {
                Transport.send(mail, user, s.get("password"));
            } else {
                Transport.send(mail);
            }
        } catch (SendFailedException e) {
            if (e.getInvalidAddresses() != null && e.getInvalidAddresses().length > 0) {
                throw new PermanentFailure("smtp " + n.channel().id() + " refused " + n.address() + ": " + e.getMessage());
            }
            throw new IOException("smtp " + n.channel().id() + ": " + e.getMessage(), e);
        } catch (jakarta.mail.AuthenticationFailedException e) {
            throw new PermanentFailure("smtp " + n.channel().id() + ": login refused: " + e.getMessage());
        } catch (MessagingException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IOException("smtp " + n.channel().id() + ": " + e.getMessage() + " (" + cause + ")", e);
        }
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }
}
