package io.safegrid.ingest.hj212;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a data segment into a {@link Hj212Packet} and its CP area into a {@link DataArea}. */
public final class Hj212Parser {
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
            .withResolverStyle(ResolverStyle.STRICT); // a logger's 0229 in a common year is its fault, not 0228

    private Hj212Parser() {
    }

    /** Parses and checks the header fields; the exception carries the QnRtn to answer with. */
    public static Hj212Packet parse(String data) throws Hj212Exception {
        int cpAt = data.indexOf("CP=&&");
        if (cpAt < 0) {
            throw new Hj212Exception(QnRtn.UNKNOWN, "bad-header", "no CP=&&…&& data area");
        }
        if (!data.endsWith("&&") || data.length() < cpAt + 7) {
            throw new Hj212Exception(QnRtn.UNKNOWN, "bad-header", "data area not closed by &&");
        }
        Header f = new Header();
        f.read(data, cpAt);
        String cp = data.substring(cpAt + 5, data.length() - 2);
        String qn = f.qn;
        if (qn != null && !digits(qn, 17)) {
            throw new Hj212Exception(QnRtn.BAD_QN, "bad-header", "QN must be YYYYMMDDhhmmsszzz: " + qn);
        }
        String st = f.st;
        if (st == null || !digits(st, 2)) {
            throw new Hj212Exception(QnRtn.BAD_ST, "bad-header", "ST must be 2 digits: " + st);
        }
        String cn = f.cn;
        if (cn == null || !digits(cn, 4)) {
            throw new Hj212Exception(QnRtn.BAD_CN, "bad-header", "CN must be 4 digits: " + cn);
        }
        String mn = f.mn;
        if (mn == null || mn.isEmpty()) {
            throw new Hj212Exception(QnRtn.BAD_MN, "bad-header", "MN missing");
        }
        String pw = f.pw;
        if (pw == null) {
            throw new Hj212Exception(QnRtn.BAD_PASSWORD, "bad-header", "PW missing");
        }
        Integer flag = integer(f.flag, "Flag");
        if (flag != null && (flag < 0 || flag > 255)) {
            throw new Hj212Exception(QnRtn.BAD_FLAG, "bad-header", "Flag out of range: " + flag);
        }
        Integer pnum = integer(f.pnum, "PNUM");
        Integer pno = integer(f.pno, "PNO");
        Hj212Packet p = new Hj212Packet(qn, st, cn, pw, mn, flag, pnum, pno, cp);
        if (p.split() && (pnum == null || pno == null || pno < 1 || pno > pnum)) {
            throw new Hj212Exception(QnRtn.BAD_FLAG, "bad-header", "Flag says split but PNUM/PNO are missing or wrong");
        }
        return p;
    }

    /**
     * The header fields ingest uses, read in one pass over {@code key=value;} items without a map or a
     * split; a later duplicate wins, unknown keys are ignored, as with a map.
     */
    private static final class Header {
        String qn;
        String st;
        String cn;
        String pw;
        String mn;
        String flag;
        String pnum;
        String pno;

        void read(String data, int end) throws Hj212Exception {
            int i = 0;
            while (i < end) {
                int semi = data.indexOf(';', i);
                int itemEnd = semi < 0 || semi > end ? end : semi;
                if (itemEnd > i) {
                    int eq = data.indexOf('=', i);
                    if (eq < 0 || eq >= itemEnd || eq == i) {
                        throw new Hj212Exception(QnRtn.UNKNOWN, "bad-header",
                                "header field without key=value: " + data.substring(i, itemEnd));
                    }
                    set(data, i, eq, itemEnd);
                }
                i = itemEnd + 1;
            }
        }

        private void set(String data, int key, int eq, int end) {
            int len = eq - key;
            if (len == 2) {
                if (data.startsWith("QN", key)) {
                    qn = data.substring(eq + 1, end);
                } else if (data.startsWith("ST", key)) {
                    st = data.substring(eq + 1, end);
                } else if (data.startsWith("CN", key)) {
                    cn = data.substring(eq + 1, end);
                } else if (data.startsWith("PW", key)) {
                    pw = data.substring(eq + 1, end);
                } else if (data.startsWith("MN", key)) {
                    mn = data.substring(eq + 1, end);
                }
            } else if (len == 4) {
                if (data.startsWith("Flag", key)) {
                    flag = data.substring(eq + 1, end);
                } else if (data.startsWith("PNUM", key)) {
                    pnum = data.substring(eq + 1, end);
                }
            } else if (len == 3 && data.startsWith("PNO", key)) {
                pno = data.substring(eq + 1, end);
            }
        }
    }

    /** Exactly {@code n} ASCII digits (what {@code \\d{n}} matched, without compiling a regex per frame). */
    private static boolean digits(String s, int n) {
        return s.length() == n && digitsAt(s, 0, n);
    }

    private static boolean digitsAt(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Best-effort header for answering a frame that failed its checks (e.g. CRC); null if it has none. */
    public static Hj212Packet lenient(String data) {
        int cpAt = data.indexOf("CP=&&");
        try {
            Map<String, String> f = fields(cpAt < 0 ? data : data.substring(0, cpAt));
            Integer flag;
            try {
                flag = f.get("Flag") == null ? null : Integer.valueOf(f.get("Flag"));
            } catch (NumberFormatException e) {
                flag = null;
            }
            if (f.get("QN") == null && f.get("MN") == null) {
                return null;
            }
            return new Hj212Packet(f.get("QN"), f.get("ST"), f.get("CN"), f.get("PW"), f.get("MN"), flag, null, null, "");
        } catch (Hj212Exception e) {
            return null;
        }
    }

    /**
     * Splits the CP area: items by ';', a factor's fields by ','. One pass over the string: no regex
     * split, no key substrings, and a factor's map is found again without a lookup while its fields
     * follow each other (as loggers send them).
     */
    public static DataArea dataArea(String cp) throws Hj212Exception {
        LocalDateTime time = null;
        Map<String, Map<String, String>> factors = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        String lastCode = null;
        Map<String, String> lastFields = null;
        int n = cp.length();
        int i = 0;
        while (i < n) {
            int end = i;
            while (end < n && cp.charAt(end) != ';' && cp.charAt(end) != ',') {
                end++;
            }
            if (end > i) {
                int eq = cp.indexOf('=', i);
                if (eq < 0 || eq >= end || eq == i) {
                    throw new Hj212Exception(QnRtn.REFUSED, "bad-data", "data item without key=value: " + cp.substring(i, end));
                }
                String value = cp.substring(eq + 1, end);
                int dash = cp.indexOf('-', i);
                if (eq - i == 8 && cp.startsWith("DataTime", i)) {
                    time = dataTime(value);
                } else if (dash > i && dash < eq - 1) {
                    int codeLength = dash - i;
                    if (lastCode == null || lastCode.length() != codeLength || !cp.startsWith(lastCode, i)) {
                        lastCode = cp.substring(i, dash);
                        lastFields = factors.computeIfAbsent(lastCode, k -> new LinkedHashMap<>());
                    }
                    lastFields.put(suffix(cp, dash + 1, eq), value);
                } else {
                    other.put(cp.substring(i, eq), value);
                }
            }
            i = end + 1;
        }
        return new DataArea(time, factors, other);
    }

    /** A factor field's suffix; the common ones as constants instead of a new string per field. */
    private static String suffix(String cp, int from, int to) {
        int len = to - from;
        for (String known : SUFFIXES) {
            if (known.length() == len && cp.startsWith(known, from)) {
                return known;
            }
        }
        return cp.substring(from, to);
    }

    private static final String[] SUFFIXES = {"Rtd", "Flag", "Avg", "Min", "Max", "Cou", "RS", "SampleTime", "EFlag"};

    /**
     * {@code YYYYMMDDhhmmss}. Fourteen digits forming a real date and time are read directly; anything
     * else goes to the formatter, so odd input (Feb 30, hour 24) is judged by the formatter's rules.
     */
    private static LocalDateTime dataTime(String value) throws Hj212Exception {
        if (value.length() == 14 && digitsAt(value, 0, 14)) {
            int month = number(value, 4, 6);
            int day = number(value, 6, 8);
            int hour = number(value, 8, 10);
            int minute = number(value, 10, 12);
            int second = number(value, 12, 14);
            if (month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59) {
                return LocalDateTime.of(number(value, 0, 4), month, day, hour, minute, second);
            }
        }
        try {
            return LocalDateTime.parse(value, DATA_TIME);
        } catch (DateTimeParseException e) {
            throw new Hj212Exception(QnRtn.REFUSED, "bad-data", "DataTime must be YYYYMMDDhhmmss: " + value);
        }
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
    }

    private static Map<String, String> fields(String head) throws Hj212Exception {
        Map<String, String> f = new LinkedHashMap<>();
        for (String item : head.split(";")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new Hj212Exception(QnRtn.UNKNOWN, "bad-header", "header field without key=value: " + item);
            }
            f.put(item.substring(0, eq), item.substring(eq + 1));
        }
        return f;
    }

    private static Integer integer(String v, String name) throws Hj212Exception {
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new Hj212Exception(QnRtn.BAD_FLAG, "bad-header", name + " is not a number: " + v);
        }
    }
}
