package io.safegrid.model.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GridTest {
    private static GridNode node(String path, GridKind kind) {
        return new GridNode(GridPath.parse(path), kind, path, null);
    }

    private final Grid grid = new Grid(List.of(
            node("puxian", GridKind.COUNTY),
            node("puxian/emergency", GridKind.DEPARTMENT),
            node("puxian/keliqiao", GridKind.TOWNSHIP),
            node("puxian/keliqiao/village-3", GridKind.VILLAGE),
            node("puxian/keliqiao/village-3/coalmine-7", GridKind.ENTERPRISE),
            node("puxian/keliqiao/village-3/coalmine-7/face-1", GridKind.SITE)));

    @Test
    void chainClimbsFromSiteToCounty() {
        assertThat(grid.chain(GridPath.parse("puxian/keliqiao/village-3/coalmine-7/face-1")))
                .extracting(GridNode::kind)
                .containsExactly(GridKind.SITE, GridKind.ENTERPRISE, GridKind.VILLAGE, GridKind.TOWNSHIP, GridKind.COUNTY);
        assertThat(grid.enterpriseOf(GridPath.parse("puxian/keliqiao/village-3/coalmine-7/face-1")))
                .map(GridNode::id).contains("coalmine-7");
    }

    @Test
    void subtreeIsScopedToThePath() {
        assertThat(grid.subtree(GridPath.parse("puxian/keliqiao"))).hasSize(4);
        assertThat(GridPath.parse("puxian/keliqiao2").isWithin(GridPath.parse("puxian/keliqiao"))).isFalse();
    }

    @Test
    void rejectsOrphansAndBadIds() {
        assertThatThrownBy(() -> new Grid(List.of(node("puxian/x", GridKind.TOWNSHIP))))
                .hasMessageContaining("has no parent puxian");
        assertThatThrownBy(() -> GridPath.parse("puxian/Ke Li")).hasMessageContaining("bad grid id");
    }
}
