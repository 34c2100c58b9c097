package io.safegrid.node.doctor;

import io.safegrid.config.Deployment;
import java.util.List;
import java.util.Set;

/** One thing {@code safegrid doctor} (and, for some, a starting node) looks at. */
public interface Check {
    /** Message key of what it checks, for the progress line. */
    String titleKey();

    List<Finding> run(Deployment d, Set<String> roles);
}
