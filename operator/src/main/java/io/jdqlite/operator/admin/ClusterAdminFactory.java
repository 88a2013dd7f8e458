package io.jdqlite.operator.admin;

import java.util.Collection;

/** Makes the {@link ClusterAdmin} for one cluster, given the admin endpoints (host:port) of its pods. */
@FunctionalInterface
public interface ClusterAdminFactory {
    ClusterAdmin forCluster(String namespace, String name, Collection<String> podAddresses);
}
