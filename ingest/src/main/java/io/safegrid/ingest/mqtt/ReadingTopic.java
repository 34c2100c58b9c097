package io.safegrid.ingest.mqtt;

/**
 * The one topic shape ingest takes: {@code safegrid/{enterprise-id}/{device-id}/readings}.
 * Returns null for anything else.
 */
public record ReadingTopic(String enterprise, String device) {

    public static ReadingTopic parse(String topic) {
        if (topic == null) {
            return null;
        }
        String[] p = topic.split("/", -1);
        if (p.length != 4 || !p[0].equals("safegrid") || !p[3].equals("readings") || p[1].isEmpty() || p[2].isEmpty()) {
            return null;
        }
        return new ReadingTopic(p[1], p[2]);
    }

    public static String of(String enterprise, String device) { return "safegrid/" + enterprise + "/" + device + "/readings"; }
}
