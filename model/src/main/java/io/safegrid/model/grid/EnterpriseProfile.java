package io.safegrid.model.grid;

import io.safegrid.model.RiskGrade;
import java.util.List;

/**
 * What supervision needs to know about a production unit beyond its place in the grid.
 *
 * @param industry    e.g. {@code coal-mine}, {@code hazardous-chemicals}, {@code construction}
 * @param location    where it is, for the overview map; may be null
 * @param risk        its static risk grade; may be null when not assessed
 * @param departments the industry departments responsible for it (the vertical line)
 * @param contact     the control room's phone or name, free text; may be null
 */
public record EnterpriseProfile(String industry, GeoPoint location, RiskGrade risk,
                                List<GridPath> departments, String contact) {
    public EnterpriseProfile {
        departments = List.copyOf(departments);
    }
}
