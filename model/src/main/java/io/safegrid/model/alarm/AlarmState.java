package io.safegrid.model.alarm;

/**
 * raised → acknowledged → cleared → closed. An alarm whose condition ends before anyone answers
 * goes raised → cleared, and still needs an acknowledgement and a handling note to close.
 */
public enum AlarmState {
    RAISED("未确认"), ACKNOWLEDGED("已确认"), CLEARED("已解除"), CLOSED("已关闭");

    private final String labelZh;

    AlarmState(String labelZh) { this.labelZh = labelZh; }

    public String labelZh() { return labelZh; }

    public boolean isOpen() { return this != CLOSED; }
}
