package io.safegrid.config.yaml;

import io.safegrid.config.ChannelDef;
import io.safegrid.config.Roster;
import io.safegrid.config.UserDef;
import io.safegrid.config.auth.PasswordHash;
import io.safegrid.model.grid.GridPath;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/** {@code channels:}, {@code users:} and {@code rosters:}: who is told, how, and when they are on duty. */
final class PeopleSection {
    static final Set<String> CHANNEL_TYPES = Set.of("webhook", "dingtalk", "wecom", "smtp", "sms");
    static final Set<String> ROLES = Set.of("admin", "county-operator", "township-officer", "enterprise-operator");
    private static final Pattern USER = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private PeopleSection() {
    }

    /** Channel settings are free-form strings (url, secret, host …); only what a type cannot work without is checked. */
    static List<ChannelDef> channels(Doc doc, List<Node> items, Refs refs) {
        List<ChannelDef> out = new ArrayList<>();
        Ids ids = new Ids(doc, "channel");
        for (int i = 0; i < items.size(); i++) {
            String path = "channels[" + i + "]";
            Node item = items.get(i);
            if (!(item instanceof MappingNode mapping)) {
                doc.error(item, path, "expected a mapping (key: value), got " + Doc.describe(item));
                continue;
            }
            String id = null;
            String type = null;
            Node idNode = item;
            Node typeNode = item;
            Map<String, String> settings = new LinkedHashMap<>();
            for (NodeTuple t : mapping.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    doc.error(t.getKeyNode(), path, "keys must be plain words");
                    continue;
                }
                String v = doc.text(t.getValueNode(), path + "." + k.getValue());
                switch (k.getValue()) {
                    case "id" -> { id = v; idNode = t.getValueNode(); }
                    case "type" -> { type = v; typeNode = t.getValueNode(); }
                    default -> {
                        if (v != null && settings.putIfAbsent(k.getValue(), v) != null) {
                            doc.error(k, path, "duplicate key '" + k.getValue() + "'");
                        }
                    }
                }
            }
            if (id == null) {
                doc.error(item, path + ".id", "required");
            }
            if (type == null) {
                doc.error(item, path + ".type", "required");
            } else if (!CHANNEL_TYPES.contains(type)) {
                doc.error(typeNode, path + ".type", "unknown channel type '" + type + "' (known: webhook, dingtalk, wecom, smtp, sms)");
                type = null;
            }
            if (type != null) {
                for (String needed : switch (type) {
                    case "smtp" -> List.of("host", "from");
                    default -> List.of("url");
                }) {
                    if (!settings.containsKey(needed)) {
                        doc.error(item, path + "." + needed, "required for a " + type + " channel");
                        type = null;
                    }
                }
            }
            String url = settings.get("url");
            if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
                doc.error(item, path + ".url", "must start with http:// or https://");
                type = null;
            }
            if (ids.accept(id, idNode, path + ".id", GridPath.SEGMENT) && type != null) {
                refs.channels.add(id);
                out.add(new ChannelDef(id, type, settings));
            }
        }
        return out;
    }

    static List<UserDef> users(Doc doc, List<Node> items, Refs refs, GridPath root) {
        List<UserDef> out = new ArrayList<>();
        Ids ids = new Ids(doc, "user");
        for (int i = 0; i < items.size(); i++) {
            String path = "users[" + i + "]";
            int before = doc.problems.count();
            MapReader m = doc.map(items.get(i), path, "name", "display-name", "role", "scope", "password-hash", "contacts",
                    "language");
            String name = m.required("name");
            boolean nameOk = ids.accept(name, m.at("name"), m.path("name"), USER);
            String display = m.string("display-name", name);
            String role = m.required("role");
            if (role != null && !ROLES.contains(role)) {
                doc.error(m.at("role"), m.path("role"), "unknown role '" + role
                        + "' (known: admin, county-operator, township-officer, enterprise-operator)");
            }
            GridPath scope = m.has("scope") ? refs.gridPath(doc, m.at("scope"), m.path("scope"), m.string("scope")) : root;
            String hash = m.string("password-hash");
            if (hash != null && !PasswordHash.isWellFormed(hash)) {
                doc.error(m.at("password-hash"), m.path("password-hash"), "not a password hash: expected "
                        + "pbkdf2-sha256$iterations$salt$hash (make one with io.safegrid.config.auth.PasswordHash)");
            }
            Map<String, String> contacts = new LinkedHashMap<>();
            for (Map.Entry<String, Node> e : m.entries("contacts").entrySet()) {
                String p = m.path("contacts") + "." + e.getKey();
                String address = doc.text(e.getValue(), p);
                if (!refs.channels.contains(e.getKey())) {
                    doc.error(e.getValue(), p, "unknown channel '" + e.getKey() + "'" + SensorSection.known(refs.channels));
                } else if (address != null) {
                    contacts.put(e.getKey(), address);
                }
            }
            if (nameOk) {
                refs.users.add(name); // known for rosters even when the rest of the entry is wrong
            }
            String language = m.string("language");
            if (language != null && !language.equals("zh") && !language.equals("en")) {
                doc.error(m.at("language"), m.path("language"), "unknown language '" + language + "' (zh or en)");
            }
            if (doc.problems.count() == before && scope != null) {
                out.add(new UserDef(name, display, hash, role, scope, contacts, language));
            }
        }
        return out;
    }

    static List<Roster> rosters(Doc doc, List<Node> items, Refs refs) {
        List<Roster> out = new ArrayList<>();
        Map<GridPath, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "rosters[" + i + "]";
            int before = doc.problems.count();
            MapReader m = doc.map(items.get(i), path, "node", "fallback", "shifts");
            GridPath node = refs.gridPath(doc, m.at("node"), m.path("node"), m.required("node"));
            if (node != null) {
                Integer first = seen.putIfAbsent(node, Problems.line(m.at("node")));
                if (first != null) {
                    doc.error(m.at("node"), m.path("node"), "'" + node + "' already has a roster (line " + first + ")");
                }
            }
            String fallback = m.required("fallback");
            person(doc, m.at("fallback"), m.path("fallback"), fallback, refs);
            List<Roster.Shift> shifts = new ArrayList<>();
            List<Node> shiftNodes = m.list("shifts");
            for (int s = 0; s < shiftNodes.size(); s++) {
                Roster.Shift shift = shift(doc, shiftNodes.get(s), m.path("shifts") + "[" + s + "]", refs);
                if (shift != null) {
                    shifts.add(shift);
                }
            }
            if (doc.problems.count() == before) {
                out.add(new Roster(node, shifts, fallback));
            }
        }
        return out;
    }

    private static Roster.Shift shift(Doc doc, Node yaml, String path, Refs refs) {
        MapReader m = doc.map(yaml, path, "name", "start", "end", "days", "people");
        String name = m.string("name", "");
        LocalTime start = time(doc, m, "start");
        LocalTime end = time(doc, m, "end");
        if (start != null && start.equals(end)) {
            doc.error(m.at("end"), m.path("end"), "a shift cannot start and end at the same time (use 00:00 to 23:59:59 for all day)");
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        List<Node> dayNodes = m.list("days");
        for (int i = 0; i < dayNodes.size(); i++) {
            String p = m.path("days") + "[" + i + "]";
            DayOfWeek d = day(doc.text(dayNodes.get(i), p));
            if (d == null) {
                doc.error(dayNodes.get(i), p, "not a day of the week (mon, tue, wed, thu, fri, sat, sun)");
            } else {
                days.add(d);
            }
        }
        List<String> people = m.strings("people");
        List<Node> peopleNodes = m.list("people");
        if (!m.has("people")) {
            m.missing("people");
        }
        for (int i = 0; i < people.size() && i < peopleNodes.size(); i++) {
            person(doc, peopleNodes.get(i), m.path("people") + "[" + i + "]", people.get(i), refs);
        }
        return start == null || end == null ? null : new Roster.Shift(name, start, end, days, people);
    }

    private static void person(Doc doc, Node at, String path, String name, Refs refs) {
        if (name != null && !refs.users.contains(name)) {
            doc.error(at, path, "unknown user '" + name + "'");
        }
    }

    private static LocalTime time(Doc doc, MapReader m, String key) {
        String t = m.required(key);
        if (t == null) {
            return null;
        }
        try {
            return LocalTime.parse(t.strip().length() == 4 ? "0" + t.strip() : t.strip());
        } catch (DateTimeParseException e) {
            doc.error(m.at(key), m.path(key), "'" + t + "' is not a time of day (write HH:mm, e.g. 08:00)");
            return null;
        }
    }

    private static DayOfWeek day(String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip().toUpperCase(java.util.Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(t) || d.name().startsWith(t) && t.length() >= 3) {
                return d;
            }
        }
        return null;
    }
}
