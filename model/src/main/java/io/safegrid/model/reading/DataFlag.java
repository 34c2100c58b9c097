package io.safegrid.model.reading;

/** The HJ 212-2017 data flags; kept on every reading so rules and charts can tell good data from bad. */
public enum DataFlag {
    N("正常", "normal"),
    F("停运", "stopped"),
    M("维护", "maintenance"),
    S("手工输入", "manual input"),
    D("故障", "fault"),
    C("校准", "calibrating"),
    T("超测上限", "over range"),
    B("通讯异常", "communication fault");

    private final String labelZh;
    private final String labelEn;

    DataFlag(String labelZh, String labelEn) {
        this.labelZh = labelZh;
        this.labelEn = labelEn;
    }

    public String labelZh() { return labelZh; }

    public String labelEn() { return labelEn; }

    /** Only normal data is judged against alarm thresholds. */
    public boolean isValid() { return this == N; }
}
