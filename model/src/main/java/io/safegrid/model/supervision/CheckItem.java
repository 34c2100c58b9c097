package io.safegrid.model.supervision;

/**
 * One line of a checklist. A template's line carries a message {@code key} (the console shows it in
 * the reader's language); a line the planner wrote or edited carries its own {@code text} instead.
 */
public record CheckItem(String key, String text) {
    public CheckItem {
        if ((key == null || key.isBlank()) && (text == null || text.isBlank())) {
            throw new IllegalArgumentException("a check item needs a key or a text");
        }
    }

    /** What it says, for logs and for a hazard raised from it: the text, else the key. */
    public String label() { return text == null || text.isBlank() ? key : text; }
}
