package io.jdqlite.operator;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** crds/ must be what the CRD generator makes from the Java model (regenerate: mvn -pl operator process-classes -Pupdate-crds). */
class CrdsUpToDateTest {
    private static final String CRD = "dqliteclusters.jdqlite.io-v1.yml";

    @Test
    void committedCrdMatchesTheGeneratedOne() throws IOException {
        Path generated = Path.of(System.getProperty("jdqlite.generatedCrds", "target/generated-crds"), CRD);
        Path committed = Path.of(System.getProperty("jdqlite.crdsDir", "../crds"), CRD);
        assertThat(generated).as("the crd-generator-maven-plugin output").exists();
        assertThat(committed).as("crds/%s is missing; run mvn -pl operator process-classes -Pupdate-crds", CRD).exists();
        assertThat(Files.readString(committed))
                .as("crds/%s is stale; run mvn -pl operator process-classes -Pupdate-crds", CRD)
                .isEqualTo(Files.readString(generated));
    }
}
