package io.safegrid.analytics.video;

import java.util.List;

/**
 * An analyzer that knows where the people were in the last analysed picture: what
 * {@code safegrid eval} counts, whatever finds them.
 */
public interface SeesPeople {
    /** The people found, in analysis pixels. */
    List<Box> people();

    /** What found them: {@code hog} for OpenCV's built-in pedestrian detector, else the model's name. */
    String detector();
}
