package io.safegrid.config.link;

import io.safegrid.config.NodeSettings;

/** The console's address for links in notifications: {@code node.console-url}, else derived from the HTTP port. */
public final class ConsoleAddress {
    private ConsoleAddress() {
    }

    public static String of(NodeSettings node) {
        if (node.consoleUrl() != null && !node.consoleUrl().isBlank()) {
            String u = node.consoleUrl().strip();
            return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
        }
        String host = node.bindAddress() == null || node.bindAddress().equals("0.0.0.0") || node.bindAddress().equals("::")
                ? "localhost" : node.bindAddress();
        return "http://" + host + ":" + node.httpPort();
    }
}
