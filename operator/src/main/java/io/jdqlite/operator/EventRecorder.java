package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.jdqlite.operator.api.DqliteCluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/** Writes core/v1 Events about a DqliteCluster (kubectl describe dq NAME shows them). */
final class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    private final KubernetesClient client;
    private final Clock clock;

    /** Last message per namespace/cluster/reason of the warnings a reconcile repeats; shared across reconciles. */
    private final Map<String, String> lastRepeated;

    EventRecorder(KubernetesClient client, Clock clock, Map<String, String> lastRepeated) {
        this.client = client;
        this.clock = clock;
        this.lastRepeated = lastRepeated;
    }

    /** A warning every reconcile pass would repeat: recorded only when its message changes, not every pass. */
    void warningOnChange(DqliteCluster cluster, String reason, String message) {
        if (!message.equals(lastRepeated.put(key(cluster, reason), message))) {
            warning(cluster, reason, message);
        }
    }

    /** The condition behind a repeated warning is over: the next occurrence is recorded again. */
    void over(DqliteCluster cluster, String reason) {
        lastRepeated.remove(key(cluster, reason));
    }

    private static String key(DqliteCluster cluster, String reason) {
        return cluster.getMetadata().getNamespace() + "/" + cluster.getMetadata().getName() + "/" + reason;
    }

    void normal(DqliteCluster cluster, String reason, String message) {
        record(cluster, "Normal", reason, message);
    }

    void warning(DqliteCluster cluster, String reason, String message) {
        record(cluster, "Warning", reason, message);
    }

    private void record(DqliteCluster cluster, String type, String reason, String message) {
        LOG.info("{}/{}: {} {}: {}", cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), type, reason, message);
        String now = Instant.now(clock).toString();
        try {
            client.v1().events().inNamespace(cluster.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(cluster.getMetadata().getName() + ".")
                    .withNamespace(cluster.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(cluster.getApiVersion()).withKind(cluster.getKind())
                            .withName(cluster.getMetadata().getName()).withNamespace(cluster.getMetadata().getNamespace())
                            .withUid(cluster.getMetadata().getUid()).build())
                    .withType(type).withReason(reason).withMessage(message)
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .withNewSource().withComponent("jdqlite-operator").endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // an event is a courtesy: never fail a reconcile over it
            LOG.warn("could not record event {}: {}", reason, e.getMessage());
        }
    }
}
