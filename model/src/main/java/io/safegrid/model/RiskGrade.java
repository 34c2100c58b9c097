package io.safegrid.model;

/**
 * The static risk grade of an enterprise or hazard (安全风险等级): 重大/较大/一般/低, shown red to
 * blue. Kept apart from {@link Level}, which is the warning level of one event.
 */
public enum RiskGrade {
    LOW("低风险", "blue"),
    GENERAL("一般风险", "yellow"),
    LARGER("较大风险", "orange"),
    MAJOR("重大风险", "red");

    private final String labelZh;
    private final String colour;

    RiskGrade(String labelZh, String colour) {
        this.labelZh = labelZh;
        this.colour = colour;
    }

    public String labelZh() { return labelZh; }

    public String colour() { return colour; }

    public static RiskGrade parse(String text) {
        for (RiskGrade g : values()) {
            if (g.name().equalsIgnoreCase(text.trim()) || g.labelZh.equals(text.trim()) || g.colour.equalsIgnoreCase(text.trim())) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown risk grade '" + text + "' (expected low, general, larger or major)");
    }
}
