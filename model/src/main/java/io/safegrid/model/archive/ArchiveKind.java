package io.safegrid.model.archive;

import java.util.Locale;

/** What one entry of an enterprise's safety archive (一企一档) is. */
public enum ArchiveKind {
    /** 安全生产许可证 and other licences: number, expiry. */
    LICENCE("许可证"),
    /** 安全管理机构及负责人: a responsible person and their role. */
    ORGANISATION("安全管理机构"),
    /** 特种作业操作证 and other personnel certificates: holder, expiry. */
    CERTIFICATE("人员证书"),
    /** 设备台账: an item of equipment, its next inspection as the expiry. */
    EQUIPMENT("设备"),
    /** 应急预案: level, last drill as the issue date, review date as the expiry. */
    EMERGENCY_PLAN("应急预案"),
    /** 工伤保险 / 安全生产责任险: policy number, expiry. */
    INSURANCE("保险"),
    /** 安全生产标准化等级. */
    STANDARDISATION("标准化等级");

    private final String labelZh;

    ArchiveKind(String labelZh) { this.labelZh = labelZh; }

    public String labelZh() { return labelZh; }

    public String id() { return name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    public static ArchiveKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown archive kind '" + text + "' (licence, organisation, certificate, "
                    + "equipment, emergency-plan, insurance, standardisation)");
        }
    }
}
