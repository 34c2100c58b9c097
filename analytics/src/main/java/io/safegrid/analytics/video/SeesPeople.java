package io.safegrid.analytics.video;

import java.util.List;

/**
 * An analyzer that knows where the people were in the last analysed picture: what
 * {@code safegrid eval} counts, whatever finds them.
 */
public interface SeesPeople {
    /** The people found, in analysis pixels. What found them is the camera's object stage's detector. */
    List<Box> people();
}
