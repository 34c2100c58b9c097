package io.safegrid.model.hazard;

import java.util.Locale;

/** How a hazard came to light (隐患来源). */
public enum HazardSource {
    /** 企业自查 */
    SELF_CHECK,
    /** 乡镇检查 */
    TOWNSHIP_INSPECTION,
    /** 部门检查 */
    DEPARTMENT_INSPECTION,
    /** 群众举报 */
    TIP_OFF,
    /** raised from an alarm, its timeline kept as evidence */
    ALARM,
    /** raised from a video or sensor finding, its snapshot kept as evidence */
    FINDING;

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static HazardSource parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown hazard source '" + text
                    + "' (self-check, township-inspection, department-inspection, tip-off, alarm, finding)");
        }
    }
}
