package io.safegrid.analytics.video.detect;

import io.safegrid.analytics.video.Box;

/** One object a detector saw in one picture: where (picture pixels), what, and how sure (0..1). */
public record Sighting(Box box, String label, float score) {
}
