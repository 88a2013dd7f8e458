package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.MemberRole;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What one reconcile saw: the pods, what their nodes answered, and the Raft configuration per the leader. */
record ClusterObservation(List<PodView> pods, Optional<PodView> leader, List<MemberView> members,
                          int replicas, int voterTarget, int standbyTarget, String desiredConfigHash) {

    /** One member pod. {@code node} is empty when its admin API did not answer. */
    record PodView(int ordinal, Pod pod, Optional<String> adminAddress, Optional<NodeStatus> node, boolean ready,
                   String configHash, boolean terminating) {
        String name() {
            return pod.getMetadata().getName();
        }
    }

    /** One entry of the Raft configuration, tied to the pod that holds it when known. */
    record MemberView(long id, String address, MemberRole role, long lag, Optional<String> pod, int ordinal,
                      boolean healthy, Optional<PodView> podView) {
        boolean voter() {
            return role == MemberRole.VOTER;
        }
    }

    Optional<MemberView> member(long id) {
        return members.stream().filter(m -> m.id() == id).findFirst();
    }

    long leaderId() {
        return leader.flatMap(PodView::node).map(NodeStatus::nodeId).orElse(0L);
    }

    List<MemberView> voters() {
        return members.stream().filter(MemberView::voter).toList();
    }

    long healthyVoters() {
        return voters().stream().filter(MemberView::healthy).count();
    }

    static int majority(long voters) {
        return (int) (voters / 2 + 1);
    }

    /** Whether taking {@code id} out of the voters (removal or demotion) leaves a healthy majority. */
    boolean quorumSafeWithoutVoter(long id) {
        List<MemberView> remaining = voters().stream().filter(m -> m.id() != id).toList();
        if (remaining.isEmpty()) {
            return false;
        }
        long healthy = remaining.stream().filter(MemberView::healthy).count();
        return healthy >= majority(remaining.size());
    }

    /** Whether the other voters are a healthy majority of the configuration while {@code id} is down (a restart). */
    boolean quorumSafeWhileDown(long id) {
        long others = voters().stream().filter(m -> m.id() != id && m.healthy()).count();
        return others >= majority(voters().size());
    }

    Optional<PodView> pod(int ordinal) {
        return pods.stream().filter(p -> p.ordinal() == ordinal).findFirst();
    }

    static final Comparator<MemberView> BY_ORDINAL = Comparator.comparingInt(MemberView::ordinal);
}
