package io.safegrid.ingest.gb28181.manscdp;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One MANSCDP body: {@code <Notify>}, {@code <Response>}, {@code <Query>} or {@code <Control>}, with its
 * {@code CmdType}, {@code SN} and {@code DeviceID}, and the charset its text was decoded with.
 */
public record MansMessage(String kind, String cmdType, long sn, String deviceId, Element root, Charset charset,
                          boolean charsetGuessed) {

    /** The text of a direct child element, or null. */
    public String text(String name) {
        return text(root, name);
    }

    public static String text(Element parent, String name) {
        Element e = child(parent, name);
        if (e == null) {
            return null;
        }
        String t = e.getTextContent();
        return t == null ? null : t.strip();
    }

    public static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The {@code <Item>} elements of a list such as {@code <DeviceList>}. */
    public List<Element> items(String list) {
        Element l = child(root, list);
        List<Element> out = new ArrayList<>();
        if (l == null) {
            return out;
        }
        for (Node n = l.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals("Item")) {
                out.add(e);
            }
        }
        return out;
    }

    public int integer(String name, int def) {
        String t = text(name);
        try {
            return t == null ? def : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
