package io.safegrid.model.grid;

/** The kinds of node in a county's grid of responsibility (网格化监管). */
public enum GridKind {
    /** County government and its safety committee (县安委会): the top of the grid. */
    COUNTY("县"),
    /** An industry department (行业主管部门), the vertical line of responsibility. */
    DEPARTMENT("部门"),
    /** Township (乡镇). */
    TOWNSHIP("乡镇"),
    /** Village or village group (村组). */
    VILLAGE("村"),
    /** A production unit (生产经营单位): coal mine, chemical plant, construction site … */
    ENTERPRISE("企业"),
    /** A site or key public area, inside an enterprise or standing alone. */
    SITE("场所");

    private final String labelZh;

    GridKind(String labelZh) { this.labelZh = labelZh; }

    public String labelZh() { return labelZh; }

    public static GridKind parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (t.equals("AREA")) {
            return SITE;
        }
        return GridKind.valueOf(t);
    }
}
