package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.jdqlite.operator.dependent.ClusterNames;

import java.util.Optional;

/** Where the operator reaches a pod's admin HTTP API (host:port); empty while the pod has no address. */
@FunctionalInterface
public interface PodAddressResolver {
    Optional<String> adminAddress(Pod pod);

    /** In-cluster default: the pod IP, port 8080. */
    static PodAddressResolver podIp() {
        return pod -> Optional.ofNullable(pod.getStatus())
                .map(s -> s.getPodIP())
                .filter(ip -> !ip.isBlank())
                .map(ip -> (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + ClusterNames.HTTP_PORT);
    }
}
