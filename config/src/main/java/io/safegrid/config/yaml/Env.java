package io.safegrid.config.yaml;

import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:-default}} in scalar values from the environment, so
 * secrets need not sit in the file. {@code $${} stands for a literal {@code ${}.
 */
final class Env {
    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");
    private final Function<String, String> lookup;

    Env(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** Thrown with the name of the variable that is neither set nor defaulted. */
    static final class Unset extends Exception {
        final String name;

        Unset(String name) {
            super(name, null, false, false);
            this.name = name;
        }
    }

    String resolve(String text) throws Unset {
        if (text.indexOf('$') < 0) {
            return text;
        }
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = lookup.apply(m.group(1));
                if (value == null) {
                    if (m.group(2) == null) {
                        throw new Unset(m.group(1));
                    }
                    value = m.group(2);
                }
                replacement = value;
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
