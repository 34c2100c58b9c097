package io.safegrid.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LevelTest {
    @Test
    void redIsHighestAndLabelledLevelOne() {
        assertThat(Level.RED).isGreaterThan(Level.ORANGE).isGreaterThan(Level.YELLOW);
        assertThat(Level.YELLOW).isGreaterThan(Level.BLUE);
        assertThat(Level.RED.gradeLabel()).isEqualTo("一级");
        assertThat(Level.BLUE.gradeLabel()).isEqualTo("四级");
        assertThat(Level.ORANGE.labelZh()).isEqualTo("二级(橙色)预警");
        assertThat(Level.parse("黄")).isEqualTo(Level.YELLOW);
        assertThat(Level.parse("1")).isEqualTo(Level.RED);
    }
}
