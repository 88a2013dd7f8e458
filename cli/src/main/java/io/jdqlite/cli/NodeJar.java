package io.jdqlite.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/** Finds the node application ({@code node/target/quarkus-app/quarkus-run.jar}) that {@code local} runs. */
final class NodeJar {
    static final String RELATIVE = "node/target/quarkus-app/quarkus-run.jar";

    private NodeJar() {
    }

    /**
     * In order: {@code -Djdqlite.nodeJar} / {@code JDQLITE_NODE_JAR}; the repository root from
     * {@code -Djdqlite.home} / {@code JDQLITE_HOME} (bin/jdqlite sets it); the working directory.
     */
    static Path candidate(Properties sys, Map<String, String> env, Path workingDir) {
        String explicit = first(sys.getProperty("jdqlite.nodeJar"), env.get("JDQLITE_NODE_JAR"));
        if (explicit != null) {
            return Path.of(explicit);
        }
        String home = first(sys.getProperty("jdqlite.home"), env.get("JDQLITE_HOME"));
        return (home != null ? Path.of(home) : workingDir).resolve(RELATIVE);
    }

    /** @throws IllegalStateException saying how to build the jar when it is missing */
    static Path locate(Properties sys, Map<String, String> env, Path workingDir) {
        Path jar = candidate(sys, env, workingDir).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("node application not found at " + jar
                    + "; build it from the repository root with: mvn -q -B -DskipTests install");
        }
        return jar;
    }

    private static String first(String a, String b) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : null;
    }
}
