package io.safegrid.model.hazard;

/**
 * The register refused an action. {@code key} names the console's message ({@code err_<key>}); the
 * English message is for API clients and logs. Nothing was written.
 */
public class HazardRefused extends RuntimeException {
    /** How the refusal is answered: bad input 400, not allowed to this user 403, not in this state 409. */
    public enum Kind { INVALID, FORBIDDEN, CONFLICT }

    private final Kind kind;
    private final String key;

    public HazardRefused(Kind kind, String key, String message) {
        super(message);
        this.kind = kind;
        this.key = key;
    }

    public Kind kind() { return kind; }

    public String key() { return key; }
}
