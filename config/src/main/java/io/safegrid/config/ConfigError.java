package io.safegrid.config;

/**
 * One problem found in a deployment file, located so that an operator can jump to it.
 *
 * @param file    the file name as the operator knows it, e.g. {@code county.yaml}
 * @param line    1-based line, or 0 when the problem has no single place (file unreadable)
 * @param path    where in the document, e.g. {@code sensors[3].metric}; empty for the whole file
 * @param message what is wrong, in words an operator can act on
 */
public record ConfigError(String file, int line, String path, String message) {

    /** {@code county.yaml:42: sensors[3].metric: unknown metric 'ch5'}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(file);
        if (line > 0) {
            b.append(':').append(line);
        }
        b.append(": ");
        if (path != null && !path.isEmpty()) {
            b.append(path).append(": ");
        }
        return b.append(message).toString();
    }
}
