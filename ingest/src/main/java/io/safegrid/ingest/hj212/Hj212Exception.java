package io.safegrid.ingest.hj212;

/** A frame the standard says is wrong, with the QnRtn to answer and a metric reason. */
public final class Hj212Exception extends Exception {
    private final int qnRtn;
    private final String reason;

    public Hj212Exception(int qnRtn, String reason, String message) {
        super(message);
        this.qnRtn = qnRtn;
        this.reason = reason;
    }

    public int qnRtn() { return qnRtn; }

    public String reason() { return reason; }
}
