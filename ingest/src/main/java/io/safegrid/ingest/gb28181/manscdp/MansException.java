package io.safegrid.ingest.gb28181.manscdp;

/** A MANSCDP body that cannot be read; the message says why, for the log and the reply. */
public final class MansException extends Exception {
    public MansException(String message) {
        super(message, null, false, false);
    }
}
