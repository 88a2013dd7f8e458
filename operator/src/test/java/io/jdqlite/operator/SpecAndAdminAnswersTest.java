package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.DefaultMockServer;
import io.jdqlite.operator.admin.ClusterAdminException;
import io.jdqlite.operator.admin.HttpClusterAdmin;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterSpec;
import io.jdqlite.operator.api.EngineSettings;
import io.jdqlite.operator.api.StorageSpec;
import io.jdqlite.operator.dependent.ClusterSettings;
import io.jdqlite.operator.dependent.StatefulSetDependent;
import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Spec values the CRD lets through, and admin answers the client does not survive. */
class SpecAndAdminAnswersTest {

    private static JSONSchemaProps engineSchema() throws IOException {
        try (InputStream in = new FileInputStream(Path.of(System.getProperty("jdqlite.crdsDir", "../crds"),
                "dqliteclusters.jdqlite.io-v1.yml").toFile())) {
            CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
            return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
                    .getProperties().get("spec").getProperties().get("engine");
        }
    }

    private static boolean crdAccepts(String field, String value) throws IOException {
        return value.matches(engineSchema().getProperties().get(field).getPattern());
    }

    private static DqliteCluster cluster(String electionTimeout) {
        DqliteCluster c = new DqliteCluster();
        c.getMetadata().setName("db");
        c.getMetadata().setNamespace("ns");
        c.setSpec(new DqliteClusterSpec());
        c.getSpec().image = "jdqlite/node:0.1.0";
        c.getSpec().storage = new StorageSpec();
        c.getSpec().storage.size = "1Gi";
        c.getSpec().engine = new EngineSettings();
        c.getSpec().engine.electionTimeout = electionTimeout;
        return c;
    }

    // electionTimeout: "0s" passes the CRD and becomes MIN=0ms MAX=0ms, which EngineConfig refuses
    // ("electionTimeoutMax must exceed electionTimeoutMin"): every node restarted afterwards (rollout, or any
    // container restart, since the ConfigMap is read through envFrom) crash-loops.
    @Test
    void zeroElectionTimeoutIsRefusedOrYieldsAStartableConfig() throws IOException {
        assertThat(crdAccepts("electionTimeout", "0s")).isFalse(); // refused by the CRD now; the operator still copes
        Map<String, String> env = ClusterSettings.engineEnvironment(cluster("0s"));
        long min = Long.parseLong(env.get("JDQLITE_ELECTION_TIMEOUT_MIN").replace("ms", ""));
        long max = Long.parseLong(env.get("JDQLITE_ELECTION_TIMEOUT_MAX").replace("ms", ""));
        assertThat(max).as("the node requires max > min; CRD should refuse 0s or the operator report it").isGreaterThan(min);
    }

    // A duration the CRD accepts but Long/Duration cannot hold: every reconcile of the cluster throws
    // (NumberFormatException / ArithmeticException "long overflow") from configHash, forever.
    @Test
    void hugeDurationAcceptedByTheCrdDoesNotBreakEveryReconcile() throws IOException {
        for (String value : List.of("99999999999999999999s", "9999999999999999s")) {
            assertThat(crdAccepts("electionTimeout", value)).isTrue(); // what the CRD does today
            assertThatCode(() -> StatefulSetDependent.configHash(cluster(value)))
                    .as("electionTimeout=%s", value).doesNotThrowAnyException();
        }
    }

    // A node answering 200 "null" (proxy, half-started server): NullPointerException, not ClusterAdminException,
    // so observe() does not treat the node as unreachable and the whole reconcile of the cluster fails.
    @Test
    void nullStatusBodyIsAnAdminFailure() {
        DefaultMockServer node = new DefaultMockServer(false);
        node.start(InetAddress.getLoopbackAddress(), 24911);
        try {
            node.expect().get().withPath("/admin/status").andReturn(200, "null").always();
            HttpClusterAdmin admin = new HttpClusterAdmin(java.net.http.HttpClient.newHttpClient(), Duration.ofSeconds(2),
                    List.of("127.0.0.1:24911"));
            assertThatThrownBy(() -> admin.status("127.0.0.1:24911")).isInstanceOf(ClusterAdminException.class);
        } finally {
            node.shutdown();
        }
    }
}
