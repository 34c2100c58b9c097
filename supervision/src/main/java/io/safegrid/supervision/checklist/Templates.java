package io.safegrid.supervision.checklist;

import io.safegrid.model.supervision.CheckItem;
import io.safegrid.model.supervision.Checklist;
import io.safegrid.model.text.Texts;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The checklist templates a plan starts from. Their items are message keys ({@code check.<template>.<item>}
 * in the model's bundles), so each reader sees them in their language; a planner may edit or add lines.
 */
public final class Templates {
    public static final List<Checklist> ALL = List.of(
            new Checklist("coal", List.of("coal-mine"), keys("coal", "gas-monitoring", "power-off-lock", "ventilation",
                    "roof-support", "water-hazard", "leader-on-shift", "special-certs")),
            new Checklist("chemicals", List.of("hazardous-chemicals"), keys("chemicals", "major-source", "gas-detectors",
                    "hot-work", "storage", "interlocks", "emergency-kit")),
            new Checklist("construction", List.of("construction"), keys("construction", "scaffold", "edge-protection",
                    "crane", "deep-pit", "temp-power", "helmets")),
            new Checklist("fireworks", List.of("fireworks"), keys("fireworks", "licence", "quantity", "separation",
                    "lightning", "no-fire")),
            new Checklist("general", List.of(), keys("general", "responsibility", "training", "hazard-self-check",
                    "fire-equipment", "emergency-plan", "electrical")));

    private Templates() {
    }

    public static Optional<Checklist> byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }



    /** What the item says in {@code lang}: its own text, else its template wording. */
    public static String text(CheckItem item, String lang) {
        if (item.text() != null && !item.text().isBlank()) {
            return item.text();
        }
        String t = Texts.render(item.key(), java.util.Map.of(), lang);
        return t == null ? item.key() : t;
    }

    private static List<CheckItem> keys(String template, String... items) {
        return Arrays.stream(items).map(i -> new CheckItem("check." + template + "." + i, null)).toList();
    }
}
