package io.safegrid.model.grid;

/**
 * One node of the grid.
 *
 * @param enterprise set for {@link GridKind#ENTERPRISE} nodes (and sites that carry one), else null
 */
public record GridNode(GridPath path, GridKind kind, String name, EnterpriseProfile enterprise) {

    public String id() { return path.id(); }

    public GridPath parent() { return path.parent(); }
}
