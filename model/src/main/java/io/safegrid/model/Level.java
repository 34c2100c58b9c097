package io.safegrid.model;

/**
 * The four warning levels of 突发事件预警 (emergency early warning), lowest first so that
 * {@code compareTo} reads naturally: {@code RED.compareTo(YELLOW) > 0}.
 * <p>Level 1 (一级, red) is the highest, level 4 (四级, blue) the lowest. This is the dynamic
 * <em>warning</em> level of an event; the static risk grade of an enterprise is {@link RiskGrade}.
 */
public enum Level {
    BLUE(4, "四级", "蓝", "blue"),
    YELLOW(3, "三级", "黄", "yellow"),
    ORANGE(2, "二级", "橙", "orange"),
    RED(1, "一级", "红", "red");

    private final int grade;
    private final String gradeLabel;
    private final String colourZh;
    private final String colour;

    Level(int grade, String gradeLabel, String colourZh, String colour) {
        this.grade = grade;
        this.gradeLabel = gradeLabel;
        this.colourZh = colourZh;
        this.colour = colour;
    }

    /** 1 for red … 4 for blue, as the standard numbers them (and GB/T 28181 alarm priority). */
    public int grade() { return grade; }

    /** 一级 … 四级. */
    public String gradeLabel() { return gradeLabel; }

    /** 红, 橙, 黄, 蓝. */
    public String colourZh() { return colourZh; }

    /** red, orange, yellow, blue. */
    public String colour() { return colour; }

    /** e.g. {@code 二级(橙色)预警}. */
    public String labelZh() { return gradeLabel + "(" + colourZh + "色)预警"; }

    /** e.g. {@code Level 2 (orange)}. */
    public String labelEn() { return "Level " + grade + " (" + colour + ")"; }

    public boolean atLeast(Level other) { return compareTo(other) >= 0; }

    /** Accepts {@code red}, {@code RED}, {@code 红}, {@code 一级} or {@code 1}. */
    public static Level parse(String text) {
        String t = text.trim();
        for (Level l : values()) {
            if (l.name().equalsIgnoreCase(t) || l.colourZh.equals(t) || l.gradeLabel.equals(t)
                    || String.valueOf(l.grade).equals(t) || (l.colourZh + "色").equals(t)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown level '" + text + "' (expected blue, yellow, orange or red)");
    }
}
