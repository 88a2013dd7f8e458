package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

import java.util.ArrayList;
import java.util.List;

/** Observed state of a DqliteCluster, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DqliteClusterStatus {
    public ClusterPhase phase;
    public String message;
    public List<Condition> conditions = new ArrayList<>();
    public Long observedGeneration;
    @StatusReplicas
    public Integer replicas;
    public Integer readyReplicas;
    /** Label selector of the member pods, for the scale subresource. */
    @LabelSelector
    public String selector;
    /** Pod name of the Raft leader. */
    public String leader;
    public Long leaderId;
    public List<MemberStatus> members = new ArrayList<>();
    /** Pods 0..foundingReplicas-1 bootstrapped the cluster. */
    public Integer foundingReplicas;
    /** Set once the founding members elected a leader; later empty volumes join instead of bootstrapping. */
    public Boolean bootstrapped;
    /** Pod named by jdqlite.io/recover-from while a quorum-loss recovery is under way. */
    public String recoveringFrom;
}
