package io.safegrid.model.device;

/** How a sensor reaches ingest. */
public enum Protocol {
    MQTT, HJ212, HTTP;

    public static Protocol parse(String text) {
        return valueOf(text.trim().toUpperCase(java.util.Locale.ROOT).replace(" ", "").replace("-", ""));
    }
}
