package io.jdqlite.engine;

/** How a stopping leader's handover ended ({@link Engine#handover}). */
public enum HandoverOutcome {
    /** Another member leads (or this node was not the leader). */
    MOVED,
    /** No other voter answers (a one-node cluster, the whole cluster stopping), or the chosen one stopped answering. */
    NOBODY_ANSWERING,
    /** The transfer failed or did not finish in time: the cluster elects a new leader after this one stops. */
    FAILED
}
