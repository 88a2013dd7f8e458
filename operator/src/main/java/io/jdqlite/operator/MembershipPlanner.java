package io.jdqlite.operator;

import io.jdqlite.operator.ClusterObservation.MemberView;
import io.jdqlite.operator.ClusterObservation.PodView;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.MemberRole;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Decides the next membership change of a cluster that has a leader. Order of concern: members whose volume
 * was lost, members unhealthy too long, scale-down, new pods joining, roles, and last the rolling upgrade,
 * which only starts on a fully healthy cluster. Pure: reads the observation, changes nothing.
 */
final class MembershipPlanner {
    private MembershipPlanner() {
    }

    static Step plan(ClusterObservation o, Map<Long, Instant> unhealthySince, Instant now, Duration unhealthyTimeout) {
        for (Optional<Step> step : List.of(
                lostVolume(o),
                unhealthyTooLong(o, unhealthySince, now, unhealthyTimeout),
                scaleDown(o),
                join(o),
                roles(o),
                upgrade(o))) {
            if (step.isPresent()) {
                return step.get();
            }
        }
        return pending(o).orElse(new Step.Stable());
    }

    /** A pod answering under an id that is not a member while its old id still is: its volume was lost. */
    private static Optional<Step> lostVolume(ClusterObservation o) {
        Set<Long> ids = o.members().stream().map(MemberView::id).collect(Collectors.toSet());
        for (PodView p : o.pods()) {
            Optional<NodeStatus> node = p.node();
            if (node.isEmpty() || ids.contains(node.get().nodeId())) {
                continue;
            }
            for (MemberView m : o.members()) {
                boolean samePod = m.pod().map(p.name()::equals).orElse(false) || m.address().equals(node.get().address());
                if (samePod && m.id() != node.get().nodeId() && m.id() != o.leaderId()
                        && (!m.voter() || o.quorumSafeWithoutVoter(m.id()))) {
                    return Optional.of(new Step.RemoveMember(m.id(), p.name(), "MemberVolumeLost", ClusterPhase.Recovering,
                            Optional.empty(), p.name() + " came back with an empty volume as id "
                            + Long.toUnsignedString(node.get().nodeId()) + "; its old id is dead"));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Step> unhealthyTooLong(ClusterObservation o, Map<Long, Instant> since, Instant now, Duration timeout) {
        for (MemberView m : o.members()) {
            Instant from = since.get(m.id());
            if (m.healthy() || from == null || m.id() == o.leaderId() || m.pod().isEmpty() || m.ordinal() >= o.replicas()) {
                continue;
            }
            if (Duration.between(from, now).compareTo(timeout) >= 0 && (!m.voter() || o.quorumSafeWithoutVoter(m.id()))) {
                return Optional.of(new Step.RemoveMember(m.id(), m.pod().get(), "MemberReplaced", ClusterPhase.Recovering,
                        m.pod(), "unhealthy since " + from + " (longer than " + timeout + "); its pod and volume are recreated"));
            }
        }
        return Optional.empty();
    }

    /** Highest ordinal first; the leader hands over before it goes. */
    private static Optional<Step> scaleDown(ClusterObservation o) {
        List<MemberView> leaving = o.members().stream()
                .filter(m -> m.pod().isPresent() && m.ordinal() >= o.replicas())
                .sorted(ClusterObservation.BY_ORDINAL.reversed()).toList();
        for (MemberView m : leaving) {
            if (m.id() == o.leaderId()) {
                Optional<MemberView> successor = successor(o, m.id(), p -> true);
                if (successor.isEmpty()) {
                    return Optional.of(new Step.Wait(ClusterPhase.Scaling, "no healthy voter to take over leadership from " + m.pod().get()));
                }
                return Optional.of(new Step.TransferLeadership(m.id(), successor.get().id(), successor.get().pod().orElse("?"),
                        ClusterPhase.Scaling, "the leader's pod " + m.pod().get() + " is being scaled away"));
            }
            if (m.voter() && !o.quorumSafeWithoutVoter(m.id())) {
                return Optional.of(new Step.Wait(ClusterPhase.Scaling, "removing " + m.pod().get() + " now would lose quorum"));
            }
            return Optional.of(new Step.RemoveMember(m.id(), m.pod().get(), "MemberRemoved", ClusterPhase.Scaling,
                    Optional.empty(), "scaling down to " + o.replicas()));
        }
        return Optional.empty();
    }

    /** Pods within replicas whose node answers but is not in the configuration join as spares. */
    private static Optional<Step> join(ClusterObservation o) {
        Set<Long> ids = o.members().stream().map(MemberView::id).collect(Collectors.toSet());
        return o.pods().stream()
                .filter(p -> p.ordinal() < o.replicas() && !p.terminating() && p.node().isPresent())
                .filter(p -> !ids.contains(p.node().get().nodeId()))
                .min(Comparator.comparingInt(PodView::ordinal))
                .map(p -> new Step.AddMember(p.node().get().nodeId(), p.node().get().address(), p.name()));
    }

    /** One role change toward the voter and standby targets, keeping a healthy majority of voters throughout. */
    private static Optional<Step> roles(ClusterObservation o) {
        List<MemberView> staying = o.members().stream().filter(m -> m.ordinal() < o.replicas()).toList();
        List<MemberView> voters = staying.stream().filter(MemberView::voter).toList();
        List<MemberView> standbys = staying.stream().filter(m -> m.role() == MemberRole.STANDBY).toList();
        Comparator<MemberView> promoteOrder = Comparator.<MemberView>comparingInt(m -> m.role() == MemberRole.STANDBY ? 0 : 1)
                .thenComparing(ClusterObservation.BY_ORDINAL);
        Optional<MemberView> promotable = staying.stream()
                .filter(m -> !m.voter() && m.healthy()).min(promoteOrder);
        boolean unhealthyVoter = voters.stream().anyMatch(m -> !m.healthy());
        if (promotable.isPresent() && (voters.size() < o.voterTarget() || (unhealthyVoter && voters.size() == o.voterTarget()))) {
            return Optional.of(new Step.AssignRole(promotable.get().id(), promotable.get().pod().orElse("?"), MemberRole.VOTER,
                    ClusterPhase.Scaling, voters.size() < o.voterTarget() ? "voters below target " + o.voterTarget() : "replacing an unhealthy voter"));
        }
        if (voters.size() > o.voterTarget()) {
            Optional<MemberView> demote = voters.stream().filter(m -> m.id() != o.leaderId())
                    .max(Comparator.<MemberView, Boolean>comparing(m -> !m.healthy()).thenComparing(ClusterObservation.BY_ORDINAL));
            if (demote.isPresent() && o.quorumSafeWithoutVoter(demote.get().id())) {
                MemberRole to = standbys.size() < o.standbyTarget() ? MemberRole.STANDBY : MemberRole.SPARE;
                return Optional.of(new Step.AssignRole(demote.get().id(), demote.get().pod().orElse("?"), to,
                        ClusterPhase.Scaling, "voters above target " + o.voterTarget()));
            }
        }
        if (standbys.size() < o.standbyTarget()) {
            Optional<MemberView> spare = staying.stream().filter(m -> m.role() == MemberRole.SPARE && m.healthy())
                    .min(ClusterObservation.BY_ORDINAL);
            if (spare.isPresent()) {
                return Optional.of(new Step.AssignRole(spare.get().id(), spare.get().pod().orElse("?"), MemberRole.STANDBY,
                        ClusterPhase.Scaling, "standbys below target " + o.standbyTarget()));
            }
        }
        if (standbys.size() > o.standbyTarget()) {
            MemberView demote = standbys.stream()
                    .max(Comparator.<MemberView, Boolean>comparing(m -> !m.healthy()).thenComparing(ClusterObservation.BY_ORDINAL)).get();
            return Optional.of(new Step.AssignRole(demote.id(), demote.pod().orElse("?"), MemberRole.SPARE,
                    ClusterPhase.Scaling, "standbys above target " + o.standbyTarget()));
        }
        return Optional.empty();
    }

    /**
     * One pod at a time, only when every pod and member is healthy and caught up: followers first (highest
     * ordinal first), the leader last after handing leadership to an up-to-date voter. Never restarts a pod
     * while pods or voters are missing, or when its restart would leave no healthy majority of voters; stops
     * when a pod already on the new configuration does not come up (an image that cannot start).
     */
    private static Optional<Step> upgrade(ClusterObservation o) {
        List<PodView> outdated = o.pods().stream()
                .filter(p -> !o.desiredConfigHash().equals(p.configHash()))
                .sorted(Comparator.comparingInt(PodView::ordinal).reversed()).toList();
        if (outdated.isEmpty()) {
            return Optional.empty();
        }
        String todo = outdated.size() + " pod(s) to upgrade; ";
        // a missing pod or voter is a member down already: one more restart could cost the majority
        List<String> missing = IntStream.range(0, o.replicas()).filter(i -> o.pod(i).filter(p -> !p.terminating()).isEmpty())
                .mapToObj(String::valueOf).toList();
        if (!missing.isEmpty()) {
            return Optional.of(new Step.Wait(ClusterPhase.Upgrading, todo + "waiting for the pod(s) of ordinal " + String.join(", ", missing)));
        }
        if (o.voters().size() < o.voterTarget()) {
            return Optional.of(new Step.Wait(ClusterPhase.Upgrading, todo + "waiting for " + o.voterTarget() + " voters (now "
                    + o.voters().size() + ")"));
        }
        // a pod restarted into the new configuration that does not come back may never start (bad image or
        // setting): the rollout stops there rather than moving on to the next member
        Optional<PodView> stuck = o.pods().stream()
                .filter(p -> p.ordinal() < o.replicas() && o.desiredConfigHash().equals(p.configHash()))
                .filter(p -> !p.ready() || p.terminating() || p.node().isEmpty())
                .min(Comparator.comparingInt(PodView::ordinal));
        if (stuck.isPresent()) {
            return Optional.of(new Step.Wait(ClusterPhase.Upgrading, "rollout halted: " + stuck.get().name()
                    + " runs the new configuration but is not ready; no other pod restarts until it is (if it never"
                    + " starts, correct the spec: the fix is rolled out to it first)"));
        }
        // an outdated pod that is not ready serves nothing (e.g. a bad image being corrected): it goes first,
        // without waiting for the cluster to be healthy, if the others keep a majority meanwhile
        for (PodView p : outdated) {
            if (!p.ready() && !p.terminating() && restartKeepsQuorum(o, p)) {
                return Optional.of(new Step.RestartPod(p.name(), "not ready on the outdated configuration " + p.configHash()
                        + " -> " + o.desiredConfigHash()));
            }
        }
        boolean allHealthy = o.members().stream().allMatch(MemberView::healthy)
                && o.pods().stream().allMatch(p -> p.ready() && !p.terminating() && p.node().isPresent());
        if (!allHealthy) {
            return Optional.of(new Step.Wait(ClusterPhase.Upgrading, todo + "waiting for every member to be healthy and caught up"));
        }
        long leaderId = o.leaderId();
        for (PodView p : outdated) {
            if (p.node().get().nodeId() != leaderId) {
                if (!restartKeepsQuorum(o, p)) {
                    return Optional.of(new Step.Wait(ClusterPhase.Upgrading, todo + "restarting " + p.name() + " now would lose quorum"));
                }
                return Optional.of(new Step.RestartPod(p.name(), "configuration " + p.configHash() + " -> " + o.desiredConfigHash()));
            }
        }
        Optional<MemberView> successor = successor(o, leaderId, p -> o.desiredConfigHash().equals(p.configHash()));
        if (successor.isEmpty()) {
            // a single voter: no one to hand over to, the restart costs a short unavailability
            return Optional.of(new Step.RestartPod(outdated.get(0).name(), "last pod, no other voter to take over"));
        }
        return Optional.of(new Step.TransferLeadership(leaderId, successor.get().id(), successor.get().pod().orElse("?"),
                ClusterPhase.Upgrading, "the leader is upgraded last"));
    }

    /** Whether the voters other than this pod's member stay a healthy majority while it is down. */
    private static boolean restartKeepsQuorum(ClusterObservation o, PodView pod) {
        return o.members().stream()
                .filter(m -> m.voter() && m.pod().map(pod.name()::equals).orElse(false))
                .allMatch(m -> o.quorumSafeWhileDown(m.id()));
    }

    private static Optional<MemberView> successor(ClusterObservation o, long leaderId, java.util.function.Predicate<PodView> podOk) {
        return o.members().stream()
                .filter(m -> m.voter() && m.healthy() && m.id() != leaderId && m.ordinal() < o.replicas())
                .filter(m -> m.podView().map(podOk::test).orElse(false))
                .min(Comparator.comparingLong(MemberView::lag).thenComparing(ClusterObservation.BY_ORDINAL));
    }

    /** Nothing to do, but not settled either: pods still starting or members unhealthy. */
    private static Optional<Step> pending(ClusterObservation o) {
        long running = o.pods().stream().filter(p -> p.ordinal() < o.replicas() && p.node().isPresent() && p.ready()).count();
        if (running < o.replicas()) {
            return Optional.of(new Step.Wait(ClusterPhase.Scaling, running + "/" + o.replicas() + " pods ready"));
        }
        List<String> unhealthy = o.members().stream().filter(m -> !m.healthy()).map(m -> m.pod().orElse(Long.toUnsignedString(m.id()))).toList();
        if (!unhealthy.isEmpty()) {
            return Optional.of(new Step.Wait(ClusterPhase.Degraded, "unhealthy members: " + String.join(", ", unhealthy)));
        }
        if (o.pods().stream().anyMatch(p -> p.ordinal() >= o.replicas())) {
            return Optional.of(new Step.Wait(ClusterPhase.Scaling, "waiting for removed members' pods to go"));
        }
        return Optional.empty();
    }
}
