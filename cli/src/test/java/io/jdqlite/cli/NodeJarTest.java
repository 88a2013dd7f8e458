package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeJarTest {
    @TempDir
    Path repo;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void explicitJarWinsOverHome() {
        assertThat(NodeJar.candidate(props("jdqlite.nodeJar", "/x/n.jar", "jdqlite.home", "/h"), Map.of(), repo))
                .isEqualTo(Path.of("/x/n.jar"));
        assertThat(NodeJar.candidate(props(), Map.of("JDQLITE_NODE_JAR", "/y/n.jar"), repo))
                .isEqualTo(Path.of("/y/n.jar"));
    }

    @Test
    void homeFromPropertyOrEnvironmentElseWorkingDirectory() {
        assertThat(NodeJar.candidate(props("jdqlite.home", "/h"), Map.of("JDQLITE_HOME", "/e"), repo))
                .isEqualTo(Path.of("/h/node/target/quarkus-app/quarkus-run.jar"));
        assertThat(NodeJar.candidate(props(), Map.of("JDQLITE_HOME", "/e"), repo))
                .isEqualTo(Path.of("/e/node/target/quarkus-app/quarkus-run.jar"));
        assertThat(NodeJar.candidate(props(), Map.of(), repo)).isEqualTo(repo.resolve(NodeJar.RELATIVE));
    }

    @Test
    void missingJarSaysHowToBuildIt() {
        assertThatThrownBy(() -> NodeJar.locate(props("jdqlite.home", repo.toString()), Map.of(), repo))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("node application not found at " + repo.resolve(NodeJar.RELATIVE))
                .hasMessageContaining("mvn -q -B -DskipTests install");
    }

    @Test
    void existingJarIsFound() throws IOException {
        Path jar = repo.resolve(NodeJar.RELATIVE);
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");

        assertThat(NodeJar.locate(props("jdqlite.home", repo.toString()), Map.of(), Path.of("/elsewhere")))
                .isEqualTo(jar);
    }
}
