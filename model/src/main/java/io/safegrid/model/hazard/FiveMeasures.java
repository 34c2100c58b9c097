package io.safegrid.model.hazard;

import java.time.Instant;

/**
 * 五落实: 责任 (responsible person), 措施 (measures), 资金 (funds, yuan), 时限 (deadline), 预案
 * (emergency plan). Any may be null until the hazard is assigned; a 重大 hazard needs all five.
 */
public record FiveMeasures(String responsible, String measures, Long fundsYuan, Instant deadline, String emergencyPlan) {

    public static FiveMeasures none() { return new FiveMeasures(null, null, null, null, null); }

    /** The names of the fields that are missing, in 五落实 order. */
    public java.util.List<String> missing() {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (blank(responsible)) {
            out.add("responsible");
        }
        if (blank(measures)) {
            out.add("measures");
        }
        if (fundsYuan == null) {
            out.add("fundsYuan");
        }
        if (deadline == null) {
            out.add("deadline");
        }
        if (blank(emergencyPlan)) {
            out.add("emergencyPlan");
        }
        return out;
    }

    private static boolean blank(String s) { return s == null || s.isBlank(); }
}
