package io.jdqlite.operator.api;

/** Coarse state shown by {@code kubectl get dq}. */
public enum ClusterPhase {
    Pending, Bootstrapping, Running, Scaling, Upgrading, Recovering, Degraded, QuorumLost
}
