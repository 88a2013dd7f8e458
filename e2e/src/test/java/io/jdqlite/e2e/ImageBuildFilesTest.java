package io.jdqlite.e2e;

import io.jdqlite.operator.dependent.ClusterNames;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image builds cannot run here (no container engine), so this checks what they read: every file the
 * Dockerfiles copy exists after this build, with the version e2e/kind/run.sh passes and with the default
 * the README's and docs' build commands use.
 */
class ImageBuildFilesTest {
    private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    private static final List<Path> DOCKERFILES = List.of(REPO.resolve("deploy/images/node.Dockerfile"),
            REPO.resolve("deploy/images/operator.Dockerfile"));
    private static final Pattern ARG = Pattern.compile("^ARG\\s+(\\w+)(?:=(\\S*))?\\s*$");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");

    @Test
    void theKindRunBuildsTheImagesFromTheJarsOfThisBuild() throws Exception {
        String runScript = Files.readString(REPO.resolve("e2e/kind/run.sh"));
        Matcher line = Pattern.compile("(?m)^JAR_VERSION=.*$").matcher(runScript);
        assertThat(line.find()).as("run.sh sets JAR_VERSION").isTrue();
        String jarVersion = bash("ROOT=\"$PWD\"; " + line.group() + "; printf %s \"$JAR_VERSION\"");
        assertThat(jarVersion).isEqualTo(System.getProperty("jdqlite.version"));
        Matcher builds = Pattern.compile("(?m)^docker build -f (\\S+) .*--build-arg VERSION=\"\\$JAR_VERSION\" \\.$")
                .matcher(runScript);
        List<Path> built = new ArrayList<>();
        while (builds.find()) {
            built.add(REPO.resolve(builds.group(1)));
        }
        assertThat(built).as("run.sh builds both images with the jars' version").containsExactlyElementsOf(DOCKERFILES);
        for (Path dockerfile : DOCKERFILES) {
            assertThat(missingCopySources(dockerfile, Map.of("VERSION", jarVersion))).as(dockerfile.toString()).isEmpty();
        }
    }

    @Test
    void theDockerfilesBuiltWithoutArgumentsTakeTheJarsOfThisBuild() throws Exception {
        for (Path dockerfile : DOCKERFILES) {
            assertThat(missingCopySources(dockerfile, Map.of())).as(dockerfile.toString()).isEmpty();
        }
    }

    @Test
    void theNodeImageRunsAsTheUserTheOperatorGivesTheDataVolume() throws Exception {
        String dockerfile = Files.readString(DOCKERFILES.get(0));
        long uid = ClusterNames.NODE_UID;
        assertThat(dockerfile).contains("useradd --system --uid " + uid + " ").containsPattern("(?m)^USER " + uid + "$");
    }

    /** The COPY sources of a Dockerfile, with its ARG defaults overridden by {@code buildArgs}, that do not exist. */
    private static List<String> missingCopySources(Path dockerfile, Map<String, String> buildArgs) throws IOException {
        Map<String, String> args = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(dockerfile)) {
            Matcher arg = ARG.matcher(line.trim());
            if (arg.matches()) {
                args.put(arg.group(1), buildArgs.getOrDefault(arg.group(1), arg.group(2) == null ? "" : arg.group(2)));
            } else if (line.startsWith("COPY ")) {
                List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
                words.removeIf(w -> w.startsWith("--"));
                for (String source : words.subList(0, words.size() - 1)) {
                    String path = expand(source, args);
                    if (!Files.exists(REPO.resolve(path))) {
                        missing.add(path);
                    }
                }
            }
        }
        return missing;
    }

    private static String expand(String s, Map<String, String> args) {
        Matcher m = REFERENCE.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(b, Matcher.quoteReplacement(args.getOrDefault(name, "")));
        }
        return m.appendTail(b).toString();
    }

    private static String bash(String script) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script).directory(REPO.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
