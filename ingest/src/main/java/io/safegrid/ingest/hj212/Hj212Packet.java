package io.safegrid.ingest.hj212;

/**
 * The fields of one data segment. {@code cp} is the data area between {@code CP=&&} and the
 * closing {@code &&}. Fields a sender left out are null.
 *
 * @param flag bits {@code V5..V0 D A}: version, packet split, answer required
 */
public record Hj212Packet(String qn, String st, String cn, String pw, String mn, Integer flag, Integer pnum,
                          Integer pno, String cp) {

    /** The A bit: the sender waits for a reply. */
    public boolean answerRequested() { return flag != null && (flag & 1) != 0; }

    /** The D bit: PNUM/PNO present. */
    public boolean split() { return flag != null && (flag & 2) != 0; }

    /** 1 for HJ 212-2017, 0 for HJ/T 212-2005. */
    public int version() { return flag == null ? 1 : flag >> 2; }
}
