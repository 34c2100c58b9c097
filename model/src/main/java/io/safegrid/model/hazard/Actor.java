package io.safegrid.model.hazard;

import io.safegrid.model.grid.GridPath;

/**
 * Who acts on a hazard: the register checks the rules that depend on the level (who may accept a
 * listed hazard, who may assign), the console checks beforehand that the hazard is in scope.
 *
 * @param supervisor a township, department or county user (not an enterprise's own operator)
 */
public record Actor(String user, GridPath scope, boolean supervisor) {
}
