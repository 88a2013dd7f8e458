package io.jdqlite.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.jdqlite.operator.ClusterObservation.MemberView;
import io.jdqlite.operator.ClusterObservation.PodView;
import io.jdqlite.operator.admin.ClusterAdmin;
import io.jdqlite.operator.admin.ClusterAdminException;
import io.jdqlite.operator.admin.ClusterAdminFactory;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.ClusterPhase;
import io.jdqlite.operator.api.DqliteCluster;
import io.jdqlite.operator.api.DqliteClusterStatus;
import io.jdqlite.operator.api.MemberRole;
import io.jdqlite.operator.api.MemberStatus;
import io.jdqlite.operator.dependent.ClientServiceDependent;
import io.jdqlite.operator.dependent.ClusterNames;
import io.jdqlite.operator.dependent.ClusterSettings;
import io.jdqlite.operator.dependent.ConfigMapDependent;
import io.jdqlite.operator.dependent.HeadlessServiceDependent;
import io.jdqlite.operator.dependent.LeaderServiceDependent;
import io.jdqlite.operator.dependent.PodDisruptionBudgetDependent;
import io.jdqlite.operator.dependent.StatefulSetDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reconciles a DqliteCluster: the dependents (ConfigMap, three Services, PDB, StatefulSet) through the JOSDK
 * workflow, then the Raft membership through {@link ClusterAdmin}, one change per pass, and the status.
 */
@ControllerConfiguration(name = "dqlitecluster")
@Workflow(dependents = {
        @Dependent(name = "config", type = ConfigMapDependent.class),
        @Dependent(name = "peers", type = HeadlessServiceDependent.class),
        @Dependent(name = "client", type = ClientServiceDependent.class),
        @Dependent(name = "leader", type = LeaderServiceDependent.class),
        @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class),
        @Dependent(name = "statefulset", type = StatefulSetDependent.class, dependsOn = {"config", "peers"})
})
public class DqliteClusterReconciler implements Reconciler<DqliteCluster> {
    private static final Logger LOG = LoggerFactory.getLogger(DqliteClusterReconciler.class);

    private final ClusterAdminFactory adminFactory;
    private final PodAddressResolver addressResolver;
    private final OperatorSettings settings;
    private final Map<String, String> repeatedWarnings = new java.util.concurrent.ConcurrentHashMap<>();

    public DqliteClusterReconciler(ClusterAdminFactory adminFactory, PodAddressResolver addressResolver, OperatorSettings settings) {
        this.adminFactory = Objects.requireNonNull(adminFactory, "adminFactory");
        this.addressResolver = Objects.requireNonNull(addressResolver, "addressResolver");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public List<EventSource<?, DqliteCluster>> prepareEventSources(EventSourceContext<DqliteCluster> context) {
        // member pods belong to the StatefulSet, not to the cluster: map them back through the instance label
        var pods = InformerEventSourceConfiguration.from(Pod.class, DqliteCluster.class)
                .withName("pods")
                .withLabelSelector(ClusterNames.LABEL_NAME + "=" + ClusterNames.APP)
                .withSecondaryToPrimaryMapper(pod -> {
                    String instance = pod.getMetadata().getLabels() == null ? null
                            : pod.getMetadata().getLabels().get(ClusterNames.LABEL_INSTANCE);
                    return instance == null ? Set.of() : Set.of(new ResourceID(instance, pod.getMetadata().getNamespace()));
                })
                .build();
        return List.of(new InformerEventSource<>(pods, context));
    }

    @Override
    public UpdateControl<DqliteCluster> reconcile(DqliteCluster cluster, Context<DqliteCluster> context) {
        KubernetesClient client = context.getClient();
        EventRecorder events = new EventRecorder(client, settings.clock(), repeatedWarnings);
        DqliteClusterStatus previous = cluster.getStatus() == null ? new DqliteClusterStatus() : cluster.getStatus();
        DqliteClusterStatus status = new DqliteClusterStatus();
        status.observedGeneration = cluster.getMetadata().getGeneration();
        status.selector = ClusterNames.selector(cluster);
        status.foundingReplicas = previous.foundingReplicas != null ? previous.foundingReplicas
                : StatefulSetDependent.foundingReplicas(cluster);
        status.bootstrapped = previous.bootstrapped;
        status.recoveringFrom = previous.recoveringFrom;
        status.conditions = previous.conditions == null ? new ArrayList<>() : new ArrayList<>(previous.conditions);

        List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> ClusterNames.ordinal(cluster, p.getMetadata().getName()).isPresent())
                .sorted(Comparator.comparing(p -> ClusterNames.ordinal(cluster, p.getMetadata().getName()).getAsInt()))
                .toList();
        List<String> addresses = pods.stream().map(addressResolver::adminAddress).flatMap(Optional::stream).toList();
        ClusterAdmin admin = adminFactory.forCluster(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName(), addresses);
        ClusterObservation observation = observe(cluster, pods, admin, previous);

        Optional<PodView> leader = observation.leader();
        status.members = memberStatuses(observation, previous);
        status.leader = leader.map(PodView::name).orElse(null);
        status.leaderId = leader.isPresent() ? observation.leaderId() : null;
        status.replicas = pods.size();
        status.readyReplicas = (int) pods.stream().filter(DqliteClusterReconciler::isReady).count();
        if (leader.isPresent() && !Boolean.TRUE.equals(status.bootstrapped)) {
            status.bootstrapped = true;
            events.normal(cluster, "Bootstrapped", "cluster formed; leader " + status.leader);
        }

        updateLeaderLabels(client, observation);

        String warnings = ClusterSettings.specWarnings(cluster);
        Step step;
        String recovery = annotation(cluster, DqliteCluster.RECOVER_FROM_ANNOTATION);
        if (recovery == null) {
            events.over(cluster, "RecoveryRefused");
        }
        if (recovery != null && status.recoveringFrom == null && leader.isEmpty()) {
            step = withoutLeader(cluster, observation, previous, status, events);
            if (step.phase() == ClusterPhase.QuorumLost) {
                step = recover(cluster, client, events, observation, status, recovery);
            } else {
                // the recovery wipes every other volume: only on a quorum loss seen now, never on a reach problem
                String message = DqliteCluster.RECOVER_FROM_ANNOTATION + " ignored: quorum loss is not observed (" + step.phase() + ")";
                events.warningOnChange(cluster, "RecoveryRefused", message);
                step = new Step.Wait(step.phase(), step.describe() + " | " + message);
            }
        } else if (recovery != null || status.recoveringFrom != null) {
            step = recover(cluster, client, events, observation, status, recovery);
        } else if (leader.isEmpty()) {
            step = withoutLeader(cluster, observation, previous, status, events);
        } else {
            step = MembershipPlanner.plan(observation, unhealthySince(status.members), Instant.now(settings.clock()),
                    ClusterSettings.unhealthyTimeout(cluster));
            step = execute(cluster, client, admin, events, step);
        }

        status.phase = step.phase();
        status.message = warnings.isEmpty() ? step.describe() : step.describe() + " | " + warnings;
        setConditions(cluster, status, step, observation);
        Optional<String> storage = StatefulSetDependent.storageChangeNotApplied(cluster, context.getSecondaryResource(StatefulSet.class));
        setCondition(cluster, status, "StorageChangeNotApplied", storage.isPresent(), storage.isPresent() ? "VolumesImmutable" : "Applied",
                storage.orElse("spec.storage is what the volumes are made with"));
        List<String> problems = ClusterSettings.settingProblems(cluster);
        setCondition(cluster, status, "SettingsValid", problems.isEmpty(), problems.isEmpty() ? "Valid" : "InvalidSettings",
                problems.isEmpty() ? "every setting is usable" : String.join("; ", problems));
        var json = client.getKubernetesSerialization();
        boolean changed = cluster.getStatus() == null || !json.asJson(cluster.getStatus()).equals(json.asJson(status));
        cluster.setStatus(status);
        if (changed) {
            writeStatus(cluster, context, status); // unchanged: no write, no new resourceVersion for users to race
        }
        Duration next = step instanceof Step.Stable ? settings.resyncInterval() : settings.progressInterval();
        return UpdateControl.<DqliteCluster>noUpdate().rescheduleAfter(next);
    }

    /**
     * Replaces the whole status (the operator owns it) with optimistic locking, retried on a fresh copy after
     * a conflict, and caches the result so the next reconcile never starts from a stale status. A JSON patch
     * computed against a cached copy fails when that copy is behind (array indexes that no longer exist), and
     * a merge patch cannot clear fields, such as a finished recovery's recoveringFrom.
     */
    private static void writeStatus(DqliteCluster cluster, Context<DqliteCluster> context, DqliteClusterStatus status) {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(cluster, context, fresh -> {
            fresh.setStatus(status);
            return fresh;
        });
    }

    @Override
    public ErrorStatusUpdateControl<DqliteCluster> updateErrorStatus(DqliteCluster cluster, Context<DqliteCluster> context, Exception e) {
        LOG.warn("reconcile of {} failed", cluster.getMetadata().getName(), e);
        DqliteClusterStatus status = cluster.getStatus() == null ? new DqliteClusterStatus() : cluster.getStatus();
        status.message = "reconcile failed: " + e.getMessage();
        setCondition(cluster, status, "Degraded", true, "ReconcileError", String.valueOf(e.getMessage()));
        cluster.setStatus(status);
        try {
            writeStatus(cluster, context, status);
        } catch (RuntimeException statusFailure) {
            LOG.warn("could not record the failure in the status of {}: {}", cluster.getMetadata().getName(),
                    statusFailure.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private ClusterObservation observe(DqliteCluster cluster, List<Pod> pods, ClusterAdmin admin, DqliteClusterStatus previous) {
        String desiredHash = StatefulSetDependent.configHash(cluster);
        List<PodView> views = new ArrayList<>();
        for (Pod pod : pods) {
            int ordinal = ClusterNames.ordinal(cluster, pod.getMetadata().getName()).getAsInt();
            Optional<String> address = addressResolver.adminAddress(pod);
            boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
            Optional<NodeStatus> node = Optional.empty();
            if (address.isPresent() && !terminating) {
                try {
                    node = Optional.of(admin.status(address.get()));
                } catch (RuntimeException e) {
                    // whatever one node answers, it only makes that node silent, never fails the whole reconcile
                    LOG.debug("{} did not answer: {}", pod.getMetadata().getName(), e.getMessage());
                }
            }
            views.add(new PodView(ordinal, pod, address, node, isReady(pod), configHashOf(pod), terminating));
        }
        Optional<PodView> leader = views.stream()
                .filter(v -> v.node().map(n -> n.leader() && n.member()).orElse(false))
                .max(Comparator.comparingLong(v -> v.node().get().term()));
        List<MemberView> members = new ArrayList<>();
        if (leader.isPresent()) {
            for (NodeStatus.Member m : leader.get().node().get().members()) {
                Optional<PodView> holder = views.stream()
                        .filter(v -> v.node().map(n -> n.nodeId() == m.id()).orElse(false)).findFirst();
                Optional<String> podName = holder.map(PodView::name)
                        .or(() -> previous.members == null ? Optional.empty() : previous.members.stream()
                                .filter(s -> s.id != null && s.id == m.id() && s.pod != null).map(s -> s.pod).findFirst())
                        .or(() -> podFromAddress(cluster, m.address()));
                int ordinal = podName.map(n -> ClusterNames.ordinal(cluster, n).orElse(Integer.MAX_VALUE)).orElse(Integer.MAX_VALUE);
                boolean caughtUpPerLeader = m.lag() <= settings.maxCaughtUpLag();
                boolean caughtUp = m.role() == MemberRole.SPARE || caughtUpPerLeader
                        || holder.flatMap(PodView::node).map(NodeStatus::caughtUp).orElse(false);
                // A spare replicates nothing, so its pod cannot pass readiness (member and caught up): it is
                // healthy when its node answers; every other member must be ready.
                boolean answering = holder.isPresent() && (holder.get().ready()
                        || (m.role() == MemberRole.SPARE && holder.get().node().isPresent()));
                // Its admin API may be out of the operator's reach (network policy, overload) while the kubelet
                // finds the pod Ready and the leader has it caught up: that member works, and reachability alone
                // must never get it removed and its volume wiped.
                Optional<PodView> silent = holder.isPresent() ? Optional.empty() : podName.flatMap(n -> views.stream()
                        .filter(v -> v.name().equals(n) && v.node().isEmpty()).findFirst());
                boolean readyButSilent = silent.isPresent() && silent.get().ready() && !silent.get().terminating()
                        && m.role() != MemberRole.SPARE && caughtUpPerLeader;
                boolean healthy = (answering && !holder.get().terminating() && caughtUp) || readyButSilent;
                members.add(new MemberView(m.id(), m.address(), m.role(), m.lag(), podName, ordinal, healthy, holder.or(() -> silent)));
            }
        }
        return new ClusterObservation(views, leader, members, ClusterSettings.replicas(cluster),
                ClusterSettings.voters(cluster), ClusterSettings.standbys(cluster), desiredHash);
    }

    private static Optional<String> podFromAddress(DqliteCluster cluster, String address) {
        if (address == null) {
            return Optional.empty();
        }
        int dot = address.indexOf('.');
        String host = dot < 0 ? address : address.substring(0, dot);
        return ClusterNames.ordinal(cluster, host).isPresent() ? Optional.of(host) : Optional.empty();
    }

    private List<MemberStatus> memberStatuses(ClusterObservation o, DqliteClusterStatus previous) {
        Instant now = Instant.now(settings.clock());
        if (o.leader().isEmpty()) {
            // no configuration to read: keep the last known members, refreshing only their health
            List<MemberStatus> kept = new ArrayList<>();
            for (MemberStatus old : previous.members == null ? List.<MemberStatus>of() : previous.members) {
                MemberStatus m = copy(old);
                boolean answers = o.pods().stream().anyMatch(p -> p.node().map(n -> old.id != null && n.nodeId() == old.id).orElse(false));
                m.healthy = false;
                m.unhealthySince = old.unhealthySince != null ? old.unhealthySince : now.toString();
                if (answers) {
                    m.appliedIndex = o.pods().stream().flatMap(p -> p.node().stream()).filter(n -> n.nodeId() == old.id)
                            .findFirst().map(NodeStatus::appliedIndex).orElse(old.appliedIndex);
                }
                kept.add(m);
            }
            return kept;
        }
        List<MemberStatus> out = new ArrayList<>();
        for (MemberView v : o.members()) {
            MemberStatus m = new MemberStatus();
            m.id = v.id();
            m.pod = v.pod().orElse(null);
            m.address = v.address();
            m.role = v.role();
            m.healthy = v.healthy();
            m.appliedIndex = v.podView().flatMap(PodView::node).map(NodeStatus::appliedIndex).orElse(null);
            if (!v.healthy()) {
                m.unhealthySince = previous.members == null ? now.toString() : previous.members.stream()
                        .filter(p -> p.id != null && p.id == v.id() && p.unhealthySince != null)
                        .map(p -> p.unhealthySince).findFirst().orElse(now.toString());
            }
            out.add(m);
        }
        return out;
    }

    private static MemberStatus copy(MemberStatus s) {
        MemberStatus m = new MemberStatus();
        m.pod = s.pod;
        m.id = s.id;
        m.address = s.address;
        m.role = s.role;
        m.healthy = s.healthy;
        m.appliedIndex = s.appliedIndex;
        m.unhealthySince = s.unhealthySince;
        return m;
    }

    private static Map<Long, Instant> unhealthySince(List<MemberStatus> members) {
        Map<Long, Instant> since = new HashMap<>();
        for (MemberStatus m : members) {
            if (m.unhealthySince != null && m.id != null) {
                try {
                    since.put(m.id, Instant.parse(m.unhealthySince));
                } catch (DateTimeParseException e) {
                    LOG.warn("ignoring unreadable unhealthySince '{}'", m.unhealthySince);
                }
            }
        }
        return since;
    }

    /** No node claims leadership: still bootstrapping, electing, or quorum lost. */
    private Step withoutLeader(DqliteCluster cluster, ClusterObservation o, DqliteClusterStatus previous,
                               DqliteClusterStatus status, EventRecorder events) {
        if (!Boolean.TRUE.equals(status.bootstrapped)) {
            long answering = o.pods().stream().filter(p -> p.node().isPresent()).count();
            return new Step.Wait(ClusterPhase.Bootstrapping, answering + "/" + status.foundingReplicas
                    + " founding members up, waiting for the first leader");
        }
        List<MemberStatus> voters = status.members.stream().filter(m -> m.role == MemberRole.VOTER).toList();
        long reachable = voters.stream().filter(v -> o.pods().stream()
                .anyMatch(p -> p.node().map(n -> v.id != null && n.nodeId() == v.id).orElse(false))).count();
        // A Ready pod is a member caught up with a leader (readiness probe): when a majority of voters' pods is
        // Ready, silence means the operator cannot reach them, not a quorum loss (whose advice is destructive).
        long readyVoters = voters.stream().filter(v -> v.pod != null && o.pods().stream()
                .anyMatch(p -> p.name().equals(v.pod) && p.ready() && !p.terminating())).count();
        if (reachable < ClusterObservation.majority(voters.size()) && readyVoters >= ClusterObservation.majority(voters.size())) {
            return new Step.Wait(ClusterPhase.Degraded, "AdminUnreachable: " + readyVoters + " of " + voters.size()
                    + " voters' pods are Ready but their admin API does not answer the operator ("
                    + String.join(", ", adminUnreachable(o)) + "); the cluster state is unknown, not a quorum loss");
        }
        if (reachable < ClusterObservation.majority(voters.size())) {
            String message = "quorum lost: " + reachable + " of " + voters.size() + " voters reachable; to recover, annotate "
                    + DqliteCluster.RECOVER_FROM_ANNOTATION + "=<pod holding the most recent data> (see docs/operator.md)";
            if (previous.phase != ClusterPhase.QuorumLost) {
                events.warning(cluster, "QuorumLost", message);
            }
            return new Step.Wait(ClusterPhase.QuorumLost, message);
        }
        return new Step.Wait(ClusterPhase.Degraded, "no leader yet (" + reachable + " of " + voters.size() + " voters reachable), election under way");
    }

    /**
     * Manual recovery from quorum loss: the named pod's node restarts as the only member of a new
     * configuration (its start script sees JDQLITE_RECOVER_FROM); every other pod loses its volume and joins
     * again as a new member.
     */
    private Step recover(DqliteCluster cluster, KubernetesClient client, EventRecorder events, ClusterObservation o,
                         DqliteClusterStatus status, String requested) {
        String ns = cluster.getMetadata().getNamespace();
        if (status.recoveringFrom == null) {
            if (o.leader().isPresent()) {
                removeAnnotation(client, cluster, DqliteCluster.RECOVER_FROM_ANNOTATION);
                events.normal(cluster, "RecoveryNotNeeded", "the cluster has a leader (" + o.leader().get().name()
                        + "); " + DqliteCluster.RECOVER_FROM_ANNOTATION + " removed");
                return new Step.Wait(ClusterPhase.Running, "recovery annotation ignored: the cluster has a leader");
            }
            OptionalInt ordinal = ClusterNames.ordinal(cluster, requested);
            if (ordinal.isEmpty() || o.pod(ordinal.getAsInt()).isEmpty()) {
                String message = DqliteCluster.RECOVER_FROM_ANNOTATION + "=" + requested + " names no pod of this cluster";
                events.warningOnChange(cluster, "RecoveryRefused", message);
                return new Step.Wait(ClusterPhase.QuorumLost, message);
            }
            status.recoveringFrom = requested;
            events.warning(cluster, "RecoveryStarted", "recovering from " + requested
                    + ": other members' volumes will be wiped and they rejoin as new members");
            return new Step.Wait(ClusterPhase.Recovering, "recovery from " + requested + " started");
        }
        String from = status.recoveringFrom;
        if (o.leader().isPresent() && o.leader().get().name().equals(from)) {
            status.recoveringFrom = null;
            if (requested != null) {
                removeAnnotation(client, cluster, DqliteCluster.RECOVER_FROM_ANNOTATION);
            }
            events.normal(cluster, "Recovered", from + " leads a new configuration; the other pods rejoin as new members");
            return new Step.Wait(ClusterPhase.Recovering, "recovered from " + from + "; members rejoining");
        }
        // the StatefulSet template carries JDQLITE_RECOVER_FROM once the dependents saw the new status;
        // pods made from an older template are restarted (others without their volume)
        Optional<StatefulSet> sts = Optional.ofNullable(client.apps().statefulSets().inNamespace(ns)
                .withName(ClusterNames.statefulSet(cluster)).get());
        boolean templateReady = sts.map(s -> hasRecoverEnv(s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv(), from)).orElse(false);
        if (!templateReady) {
            return new Step.Wait(ClusterPhase.Recovering, "waiting for the StatefulSet template to carry the recovery");
        }
        for (PodView p : o.pods()) {
            if (p.terminating() || hasRecoverEnv(p.pod().getSpec().getContainers().get(0).getEnv(), from)) {
                continue;
            }
            client.pods().inNamespace(ns).withName(p.name()).delete();
            if (!p.name().equals(from)) {
                client.persistentVolumeClaims().inNamespace(ns).withName(ClusterNames.dataClaim(p.name())).delete();
            }
            events.normal(cluster, "RecoveryPodRestarted", p.name().equals(from)
                    ? p.name() + " restarted to recover the configuration" : p.name() + " restarted without its volume to rejoin");
        }
        return new Step.Wait(ClusterPhase.Recovering, "recovering from " + from + ": waiting for it to lead");
    }

    /** The configuration hash the pod was made with (from the StatefulSet template), null if none. */
    private static String configHashOf(Pod pod) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ClusterNames.ANNOTATION_CONFIG_HASH);
    }

    private static boolean hasRecoverEnv(List<EnvVar> env, String from) {
        return env != null && env.stream().anyMatch(e -> "JDQLITE_RECOVER_FROM".equals(e.getName()) && from.equals(e.getValue()));
    }

    private Step execute(DqliteCluster cluster, KubernetesClient client, ClusterAdmin admin, EventRecorder events, Step step) {
        String ns = cluster.getMetadata().getNamespace();
        try {
            if (step instanceof Step.AddMember add) {
                admin.addMember(add.id(), add.address(), MemberRole.SPARE);
            } else if (step instanceof Step.RemoveMember remove) {
                admin.removeMember(remove.id());
                remove.wipePod().ifPresent(pod -> {
                    client.persistentVolumeClaims().inNamespace(ns).withName(ClusterNames.dataClaim(pod)).delete();
                    client.pods().inNamespace(ns).withName(pod).delete();
                });
            } else if (step instanceof Step.AssignRole assign) {
                admin.assignRole(assign.id(), assign.role());
            } else if (step instanceof Step.TransferLeadership transfer) {
                admin.transferLeadership(transfer.toId());
            } else if (step instanceof Step.RestartPod restart) {
                // The informer's copy can predate a restart this operator already did: ask the API server which
                // pod is there now, so a pod just made from the new template is not restarted a second time.
                Pod current = client.pods().inNamespace(ns).withName(restart.pod()).get();
                if (current == null || current.getMetadata().getDeletionTimestamp() != null
                        || StatefulSetDependent.configHash(cluster).equals(configHashOf(current))) {
                    return new Step.Wait(ClusterPhase.Upgrading, restart.pod() + " is already being replaced");
                }
                client.pods().inNamespace(ns).withName(restart.pod()).delete();
            } else {
                return step; // Wait or Stable: nothing to do
            }
        } catch (ClusterAdminException | KubernetesClientException e) {
            events.warningOnChange(cluster, "MembershipChangeFailed", step.describe() + ": " + e.getMessage());
            return new Step.Wait(step.phase(), step.describe() + " failed, will retry: " + e.getMessage());
        }
        events.over(cluster, "MembershipChangeFailed");
        events.normal(cluster, step.reason(), step.describe());
        return step;
    }

    /** jdqlite.io/leader=true on the leader's pod only, so the leader Service selects it alone. */
    private static void updateLeaderLabels(KubernetesClient client, ClusterObservation o) {
        String leaderPod = o.leader().map(PodView::name).orElse(null);
        for (PodView p : o.pods()) {
            String want = p.name().equals(leaderPod) ? "true" : "false";
            Map<String, String> labels = p.pod().getMetadata().getLabels();
            if (p.terminating() || (labels != null && want.equals(labels.get(ClusterNames.LABEL_LEADER)))) {
                continue;
            }
            try {
                // a merge patch without resourceVersion: the label is ours alone, no need to race status writers
                client.pods().inNamespace(p.pod().getMetadata().getNamespace()).withName(p.name())
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                "{\"metadata\":{\"labels\":{\"" + ClusterNames.LABEL_LEADER + "\":\"" + want + "\"}}}");
            } catch (KubernetesClientException e) {
                LOG.warn("could not label {}: {}", p.name(), e.getMessage());
            }
        }
    }

    private static void removeAnnotation(KubernetesClient client, DqliteCluster cluster, String key) {
        try {
            client.resources(DqliteCluster.class).inNamespace(cluster.getMetadata().getNamespace())
                    .withName(cluster.getMetadata().getName()).edit(c -> {
                        if (c.getMetadata().getAnnotations() != null) {
                            c.getMetadata().getAnnotations().remove(key);
                        }
                        return c;
                    });
        } catch (KubernetesClientException e) {
            LOG.warn("could not remove annotation {}: {}", key, e.getMessage());
        }
    }

    private static String annotation(DqliteCluster cluster, String key) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    static boolean isReady(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void setConditions(DqliteCluster cluster, DqliteClusterStatus status, Step step, ClusterObservation o) {
        boolean stable = step instanceof Step.Stable;
        String reason = step.phase().name();
        setCondition(cluster, status, "Ready", stable, stable ? "AllMembersHealthy" : reason, step.describe());
        boolean progressing = !stable && step.phase() != ClusterPhase.QuorumLost && step.phase() != ClusterPhase.Degraded;
        setCondition(cluster, status, "Progressing", progressing, progressing ? reason : "Idle", step.describe());
        long unhealthy = o.members().stream().filter(m -> !m.healthy()).count();
        boolean degraded = step.phase() == ClusterPhase.QuorumLost || step.phase() == ClusterPhase.Degraded
                || (o.leader().isPresent() && unhealthy > 0);
        String degradedReason = step.phase() == ClusterPhase.QuorumLost ? "QuorumLost"
                : unhealthy > 0 ? "MemberUnhealthy"
                : degraded ? (o.leader().isEmpty() && !adminUnreachable(o).isEmpty() ? "AdminUnreachable" : "NoLeader") : "Healthy";
        setCondition(cluster, status, "Degraded", degraded, degradedReason, degraded ? step.describe() : "no unhealthy members");
        List<String> silent = adminUnreachable(o);
        setCondition(cluster, status, "AdminReachable", silent.isEmpty(), silent.isEmpty() ? "AllAnswering" : "AdminUnreachable",
                silent.isEmpty() ? "every pod's admin API answers" : "admin API not answering the operator: " + String.join(", ", silent));
    }

    /** Running pods whose admin API did not answer this pass. */
    static List<String> adminUnreachable(ClusterObservation o) {
        return o.pods().stream().filter(p -> !p.terminating() && p.adminAddress().isPresent() && p.node().isEmpty())
                .map(PodView::name).toList();
    }

    private void setCondition(DqliteCluster cluster, DqliteClusterStatus status, String type, boolean value, String reason, String message) {
        String s = value ? "True" : "False";
        Condition existing = status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = existing != null && s.equals(existing.getStatus()) ? existing.getLastTransitionTime()
                : Instant.now(settings.clock()).toString();
        status.conditions.removeIf(c -> type.equals(c.getType()));
        status.conditions.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason)
                .withMessage(message).withLastTransitionTime(since)
                .withObservedGeneration(cluster.getMetadata().getGeneration()).build());
        status.conditions.sort(Comparator.comparing(Condition::getType));
    }
}
