package io.safegrid.model.hazard;

import java.util.Locale;

/** 隐患等级: a 重大 hazard must have all five 五落实 measures before it can leave "reported". */
public enum HazardGrade {
    GENERAL("一般"), LARGER("较大"), MAJOR("重大");

    private final String labelZh;

    HazardGrade(String labelZh) { this.labelZh = labelZh; }

    public String labelZh() { return labelZh; }

    /** {@code general}/{@code larger}/{@code major}, or the Chinese label. */
    public static HazardGrade parse(String text) {
        String t = text == null ? "" : text.trim();
        for (HazardGrade g : values()) {
            if (g.labelZh.equals(t) || g.name().equalsIgnoreCase(t)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown hazard grade '" + text + "' (general, larger, major)");
    }

    public String id() { return name().toLowerCase(Locale.ROOT); }
}
