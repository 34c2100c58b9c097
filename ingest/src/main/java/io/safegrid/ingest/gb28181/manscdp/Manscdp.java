package io.safegrid.ingest.gb28181.manscdp;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads MANSCDP XML bodies. GB/T 28181-2016 devices write GB2312, 2022 ones GB18030, some UTF-8, and
 * many declare one charset and write another. The declared charset (XML declaration, else the
 * Content-Type's {@code charset}) is tried first, strictly; when the bytes are not valid in it, the
 * other family (UTF-8 or GB18030) is tried. GB2312 and GBK are read as GB18030, their superset, so
 * a character outside GB2312 in a "GB2312" body still arrives.
 */
public final class Manscdp {
    public static final String CONTENT_TYPE = "Application";
    public static final String CONTENT_SUBTYPE = "MANSCDP+xml";
    public static final Charset GB18030 = Charset.forName("GB18030");
    private static final Pattern DECLARED = Pattern.compile("<\\?xml[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9_\\-]+)[\"']");
    private static final Pattern PROLOG = Pattern.compile("^\\s*<\\?xml[^>]*\\?>");

    private Manscdp() {
    }

    /** @throws MansException when the body is not a readable MANSCDP document */
    public static MansMessage parse(byte[] body, String contentTypeCharset) throws MansException {
        if (body == null || body.length == 0) {
            throw new MansException("empty body");
        }
        String head = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        Matcher m = DECLARED.matcher(head);
        String declared = m.find() ? m.group(1) : contentTypeCharset;
        Charset first = charsetOf(declared);
        Charset second = first.equals(StandardCharsets.UTF_8) ? GB18030 : StandardCharsets.UTF_8;
        String text;
        Charset used = first;
        boolean guessed = false;
        try {
            text = strict(body, first);
        } catch (CharacterCodingException e) {
            try {
                text = strict(body, second);
                used = second;
                guessed = true;
            } catch (CharacterCodingException e2) {
                throw new MansException("text is neither " + first.name() + " nor " + second.name());
            }
        }
        Element root = xml(PROLOG.matcher(text).replaceFirst(""));
        String cmd = MansMessage.text(root, "CmdType");
        if (cmd == null || cmd.isEmpty()) {
            throw new MansException("no CmdType in <" + root.getTagName() + ">");
        }
        long sn;
        try {
            String s = MansMessage.text(root, "SN");
            sn = s == null ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MansException("SN is not a number");
        }
        return new MansMessage(root.getTagName(), cmd, sn, MansMessage.text(root, "DeviceID"), root, used, guessed);
    }

    static Charset charsetOf(String name) {
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        String n = name.strip().toUpperCase(Locale.ROOT);
        if (n.startsWith("GB") || n.equals("CP936") || n.equals("EUC-CN")) {
            return GB18030;
        }
        return StandardCharsets.UTF_8;
    }

    private static String strict(byte[] body, Charset cs) throws CharacterCodingException {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    }

    private static Element xml(String text) throws MansException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // device text is untrusted: no DTDs, no external entities
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(text))).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new MansException("not well-formed XML: " + e.getMessage());
        }
    }

    /** A body to send, declared and encoded as GB2312 (what 2016-edition devices expect). */
    public static byte[] encode(String xmlWithoutProlog, Charset cs) {
        String name = cs.equals(StandardCharsets.UTF_8) ? "UTF-8" : cs.name().equals("GB18030") ? "GB18030" : "GB2312";
        return ("<?xml version=\"1.0\" encoding=\"" + name + "\"?>\r\n" + xmlWithoutProlog).getBytes(cs);
    }

    /** A {@code <Query>} for one command. */
    public static String query(String cmdType, long sn, String deviceId) {
        return "<Query>\r\n<CmdType>" + cmdType + "</CmdType>\r\n<SN>" + sn + "</SN>\r\n<DeviceID>" + deviceId
                + "</DeviceID>\r\n</Query>\r\n";
    }

    /** Escapes text for an element's content. */
    public static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
