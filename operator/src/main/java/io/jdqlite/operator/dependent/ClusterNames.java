package io.jdqlite.operator.dependent;

import io.jdqlite.operator.api.DqliteCluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/** Names, labels and ports of everything the operator creates for one DqliteCluster. */
public final class ClusterNames {
    public static final String LABEL_NAME = "app.kubernetes.io/name";
    public static final String LABEL_INSTANCE = "app.kubernetes.io/instance";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String LABEL_LEADER = "jdqlite.io/leader";
    public static final String ANNOTATION_CONFIG_HASH = "jdqlite.io/config-hash";
    public static final String APP = "jdqlite";
    public static final String MANAGER = "jdqlite-operator";
    public static final String DATA_VOLUME = "data";
    public static final String DATA_MOUNT = "/var/lib/jdqlite";
    public static final int CLIENT_PORT = 9001;
    public static final int RAFT_PORT = 10001;
    public static final int HTTP_PORT = 8080;
    /** The node image's user (deploy/images/node.Dockerfile), and the group that owns the data volume. */
    public static final long NODE_UID = 10001;

    private ClusterNames() {
    }

    public static String statefulSet(DqliteCluster c) {
        return c.getMetadata().getName();
    }

    public static String headlessService(DqliteCluster c) {
        return c.getMetadata().getName() + "-peers";
    }

    public static String clientService(DqliteCluster c) {
        return c.getMetadata().getName();
    }

    public static String leaderService(DqliteCluster c) {
        return c.getMetadata().getName() + "-leader";
    }

    public static String configMap(DqliteCluster c) {
        return c.getMetadata().getName() + "-config";
    }

    public static String podDisruptionBudget(DqliteCluster c) {
        return c.getMetadata().getName();
    }

    public static String pod(DqliteCluster c, int ordinal) {
        return c.getMetadata().getName() + "-" + ordinal;
    }

    /** The PVC the StatefulSet's volume claim template makes for a pod. */
    public static String dataClaim(String podName) {
        return DATA_VOLUME + "-" + podName;
    }

    /** Stable client (Raft member) address of a pod: its DNS name under the headless Service. */
    public static String memberAddress(DqliteCluster c, int ordinal) {
        return pod(c, ordinal) + "." + headlessService(c) + "." + c.getMetadata().getNamespace() + ".svc:" + CLIENT_PORT;
    }

    /** The ordinal of one of this cluster's pods, empty for any other name. */
    public static OptionalInt ordinal(DqliteCluster c, String podName) {
        String prefix = c.getMetadata().getName() + "-";
        if (podName == null || !podName.startsWith(prefix)) {
            return OptionalInt.empty();
        }
        String rest = podName.substring(prefix.length());
        if (rest.isEmpty() || rest.length() > 4 || !rest.chars().allMatch(Character::isDigit)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(rest));
    }

    /** Labels every member pod carries (also the selector of the Services, PDB and scale subresource). */
    public static Map<String, String> selectorLabels(DqliteCluster c) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_NAME, APP);
        labels.put(LABEL_INSTANCE, c.getMetadata().getName());
        return labels;
    }

    public static String selector(DqliteCluster c) {
        return LABEL_NAME + "=" + APP + "," + LABEL_INSTANCE + "=" + c.getMetadata().getName();
    }

    public static Map<String, String> labels(DqliteCluster c) {
        Map<String, String> labels = selectorLabels(c);
        labels.put(LABEL_MANAGED_BY, MANAGER);
        return labels;
    }
}
