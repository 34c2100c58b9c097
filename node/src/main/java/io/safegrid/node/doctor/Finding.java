package io.safegrid.node.doctor;

/**
 * What one check found: {@code configKey} names the setting it is about (null when none does), the
 * text is {@code messageKey} with {@code args}, and a problem's fix is {@code messageKey + ".fix"}.
 */
public record Finding(Status status, String configKey, String messageKey, Object... args) {

    public enum Status { OK, WARN, FAIL }

    public static Finding ok(String configKey, String messageKey, Object... args) {
        return new Finding(Status.OK, configKey, messageKey, args);
    }

    public static Finding warn(String configKey, String messageKey, Object... args) {
        return new Finding(Status.WARN, configKey, messageKey, args);
    }

    public static Finding fail(String configKey, String messageKey, Object... args) {
        return new Finding(Status.FAIL, configKey, messageKey, args);
    }

    /** One line: the setting, what is wrong and, for a problem, how to fix it. */
    public String line(Texts t) {
        StringBuilder b = new StringBuilder();
        if (configKey != null) {
            b.append(configKey).append(": ");
        }
        b.append(t.get(messageKey, args));
        if (status != Status.OK) {
            b.append(t.get("fix.separator")).append(t.get(messageKey + ".fix", args));
        }
        return b.toString();
    }
}
