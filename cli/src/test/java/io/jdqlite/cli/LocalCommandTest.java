package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Argument handling of {@code jdqlite local}; nothing here starts a node. */
class LocalCommandTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void defaultsMatchTheDocumentedCluster() {
        LocalCommand cmd = new LocalCommand();
        new CommandLine(cmd).parseArgs();

        assertThat(cmd.nodes).isEqualTo(3);
        assertThat(cmd.port).isEqualTo(9001);
        assertThat(cmd.raftPort).isNull(); // port + 1000
        assertThat(cmd.httpPort).isEqualTo(8001);
        assertThat(cmd.host).isEqualTo("127.0.0.1");
        assertThat(cmd.data).isEqualTo(Path.of(".jdqlite/local"));
        assertThat(cmd.restart).isTrue();
    }

    @Test
    void parsesEveryOption() {
        LocalCommand cmd = new LocalCommand();
        new CommandLine(cmd).parseArgs("--nodes", "5", "--port", "22001", "--raft-port", "22201",
                "--http-port", "22101", "--data", dir.toString(), "--ready-timeout", "30", "--stop-timeout", "5", "--no-restart");

        assertThat(cmd.nodes).isEqualTo(5);
        assertThat(cmd.port).isEqualTo(22001);
        assertThat(cmd.raftPort).isEqualTo(22201);
        assertThat(cmd.httpPort).isEqualTo(22101);
        assertThat(cmd.data).isEqualTo(dir);
        assertThat(cmd.readyTimeoutSeconds).isEqualTo(30);
        assertThat(cmd.stopTimeoutSeconds).isEqualTo(5);
        assertThat(cmd.restart).isFalse();
    }

    @Test
    void invalidLayoutIsAUsageErrorNotACrash() {
        int code = run("local", "--nodes", "0", "--data", dir.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--nodes must be between 1 and 99");
    }

    @Test
    void missingNodeJarIsAUsageErrorWithTheBuildCommand() {
        System.setProperty("jdqlite.nodeJar", dir.resolve("missing.jar").toString());
        try {
            int code = run("local", "--port", "22901", "--raft-port", "22911", "--http-port", "22921",
                    "--data", dir.toString());

            assertThat(code).isEqualTo(2);
            assertThat(err.toString()).contains("node application not found", "mvn -q -B -DskipTests install");
        } finally {
            System.clearProperty("jdqlite.nodeJar");
        }
    }

    @Test
    void nonNumericPortIsRejected() {
        assertThat(run("local", "--port", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("--port");
    }
}
