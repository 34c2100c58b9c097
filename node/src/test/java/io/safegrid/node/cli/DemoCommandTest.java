package io.safegrid.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.safegrid.config.Deployment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What `safegrid demo` will run on: this machine only, everything under --dir. */
class DemoCommandTest {
    @TempDir
    Path dir;

    Deployment prepared(String... args) throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        Path county = demo.prepare();
        assertThat(county).isEqualTo(dir.resolve("county.yaml")).exists();
        return demo.loader().read(county);
    }

    @Test
    void theDemoListensOnLoopbackAndKeepsItsDataUnderItsDirectory() throws Exception {
        Deployment d = prepared("--dir", dir.toString());
        assertThat(d.node().bindAddress()).isEqualTo("127.0.0.1");
        assertThat(d.node().dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath());
        assertThat(d.node().demo()).isTrue();
    }

    @Test
    void bindOpensItOnPurpose() throws Exception {
        assertThat(prepared("--dir", dir.toString(), "--bind", "0.0.0.0").node().bindAddress()).isEqualTo("0.0.0.0");
    }
}
