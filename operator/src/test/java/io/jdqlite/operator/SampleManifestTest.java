package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.dependent.ClusterSettings;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample users start from (deploy/samples/dqlitecluster.yaml) names only fields the CRD knows (an unknown
 * one is pruned by the API server without a word) and gives the operator nothing to warn about.
 */
class SampleManifestTest {
    private static final Path SAMPLE = Path.of("..", "deploy", "samples", "dqlitecluster.yaml");

    private static JSONSchemaProps schema() throws IOException {
        Path crd = Path.of(System.getProperty("jdqlite.crdsDir", "../crds"), "dqliteclusters.jdqlite.io-v1.yml");
        return Serialization.unmarshal(Files.readString(crd), CustomResourceDefinition.class)
                .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    @SuppressWarnings("unchecked")
    private static void collectUnknown(Object value, JSONSchemaProps schema, String path, List<String> unknown) {
        if (!(value instanceof Map<?, ?> map) || schema == null) {
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields()) || schema.getProperties() == null
                || schema.getProperties().isEmpty()) {
            return; // free-form (resources, affinity...)
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
            JSONSchemaProps child = schema.getProperties().get(e.getKey());
            if (child == null) {
                unknown.add(path + e.getKey());
            } else {
                collectUnknown(e.getValue(), child, path + e.getKey() + ".", unknown);
            }
        }
    }

    @Test
    void theSampleUsesOnlyFieldsOfTheCrdAndIsValid() throws IOException {
        String yaml = Files.readString(SAMPLE);
        Map<String, Object> raw = Serialization.unmarshal(yaml, Map.class);
        List<String> unknown = new ArrayList<>();
        collectUnknown(raw.get("spec"), schema().getProperties().get("spec"), "spec.", unknown);
        assertThat(unknown).as("fields the CRD does not define").isEmpty();

        DqliteCluster cluster = Serialization.unmarshal(yaml, DqliteCluster.class);
        assertThat(cluster.getSpec().engine.maxConnections).isEqualTo(1024);
        assertThat(ClusterSettings.specWarnings(cluster)).isEmpty();
        assertThat(ClusterSettings.engineEnvironment(cluster)).containsEntry("JDQLITE_MAX_CONNECTIONS", "1024");
    }
}
