package io.safegrid.ingest.hj212;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The parser as it was before it stopped using regexes and splits (commit 68f9e46), kept as the oracle for Hj212ParserEquivalenceTest. */
final class Hj212ParserReference {
    private static final DateTimeFormatter DATA_TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

    private Hj212ParserReference() {
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
        Map<String, String> f = fields(data.substring(0, cpAt));
        String cp = data.substring(cpAt + 5, data.length() - 2);
        String qn = f.get("QN");
        if (qn != null && !qn.matches("\\d{17}")) {
            throw new Hj212Exception(QnRtn.BAD_QN, "bad-header", "QN must be YYYYMMDDhhmmsszzz: " + qn);
        }
        String st = f.get("ST");
        if (st == null || !st.matches("\\d{2}")) {
            throw new Hj212Exception(QnRtn.BAD_ST, "bad-header", "ST must be 2 digits: " + st);
        }
        String cn = f.get("CN");
        if (cn == null || !cn.matches("\\d{4}")) {
            throw new Hj212Exception(QnRtn.BAD_CN, "bad-header", "CN must be 4 digits: " + cn);
        }
        String mn = f.get("MN");
        if (mn == null || mn.isEmpty()) {
            throw new Hj212Exception(QnRtn.BAD_MN, "bad-header", "MN missing");
        }
        String pw = f.get("PW");
        if (pw == null) {
            throw new Hj212Exception(QnRtn.BAD_PASSWORD, "bad-header", "PW missing");
        }
        Integer flag = integer(f.get("Flag"), "Flag");
        if (flag != null && (flag < 0 || flag > 255)) {
            throw new Hj212Exception(QnRtn.BAD_FLAG, "bad-header", "Flag out of range: " + flag);
        }
        Integer pnum = integer(f.get("PNUM"), "PNUM");
        Integer pno = integer(f.get("PNO"), "PNO");
        Hj212Packet p = new Hj212Packet(qn, st, cn, pw, mn, flag, pnum, pno, cp);
        if (p.split() && (pnum == null || pno == null || pno < 1 || pno > pnum)) {
            throw new Hj212Exception(QnRtn.BAD_FLAG, "bad-header", "Flag says split but PNUM/PNO are missing or wrong");
        }
        return p;
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

    /** Splits the CP area: items by ';', a factor's fields by ','. */
    public static DataArea dataArea(String cp) throws Hj212Exception {
        LocalDateTime time = null;
        Map<String, Map<String, String>> factors = new LinkedHashMap<>();
        Map<String, String> other = new LinkedHashMap<>();
        for (String item : cp.split("[;,]")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new Hj212Exception(QnRtn.REFUSED, "bad-data", "data item without key=value: " + item);
            }
            String key = item.substring(0, eq);
            String value = item.substring(eq + 1);
            if (key.equals("DataTime")) {
                try {
                    time = LocalDateTime.parse(value, DATA_TIME);
                } catch (DateTimeParseException e) {
                    throw new Hj212Exception(QnRtn.REFUSED, "bad-data", "DataTime must be YYYYMMDDhhmmss: " + value);
                }
                continue;
            }
            int dash = key.indexOf('-');
            if (dash > 0 && dash < key.length() - 1) {
                factors.computeIfAbsent(key.substring(0, dash), k -> new LinkedHashMap<>()).put(key.substring(dash + 1), value);
            } else {
                other.put(key, value);
            }
        }
        return new DataArea(time, factors, other);
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
