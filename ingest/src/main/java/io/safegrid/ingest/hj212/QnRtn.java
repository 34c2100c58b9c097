package io.safegrid.ingest.hj212;

/** The request reply codes of CN 9011 (HJ 212-2017). */
public final class QnRtn {
    public static final int READY = 1;
    public static final int REFUSED = 2;
    public static final int BAD_PASSWORD = 3;
    public static final int BAD_MN = 4;
    public static final int BAD_ST = 5;
    public static final int BAD_FLAG = 6;
    public static final int BAD_QN = 7;
    public static final int BAD_CN = 8;
    public static final int CRC_ERROR = 9;
    public static final int UNKNOWN = 100;

    private QnRtn() {
    }
}
