package io.jdqlite.operator;

import io.jdqlite.operator.admin.ClusterAdmin;
import io.jdqlite.operator.admin.ClusterAdminException;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.MemberRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated jdqlite cluster behind {@link ClusterAdmin}: nodes live in pods the fake StatefulSet controller
 * starts, keep their id on their "volume", bootstrap or join as the node start script would, elect the
 * lowest live voter, and refuse membership changes without a quorum. Records every mutation and every
 * moment a quorum of voters was down.
 */
final class FakeCluster implements ClusterAdmin {
    record Call(String op, long id, String arg) {
    }

    private static final class Node {
        final String pod;
        final long id;
        final String address;
        int catchUpPolls;

        Node(String pod, long id, String address) {
            this.pod = pod;
            this.id = id;
            this.address = address;
        }
    }

    private final Map<String, Long> volumes = new HashMap<>();
    private final Map<String, Node> running = new HashMap<>();
    private final Map<Long, MemberRole> roles = new LinkedHashMap<>();
    private final Map<Long, String> addresses = new HashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private final List<String> quorumLosses = new ArrayList<>();
    private long leaderId;
    private long term = 1;
    private long commit = 1;
    private long nextId = 100;
    private boolean bootstrapped;
    private int founders = -1;
    /** Status polls a restarted member reports lag before catching up. */
    private final int catchUpPolls;

    FakeCluster(int catchUpPolls) {
        this.catchUpPolls = catchUpPolls;
    }

    // ---- driven by the fake StatefulSet controller ----

    synchronized void podStarted(String pod, int ordinal, Map<String, String> env) {
        String address = env.get("JDQLITE_ADDRESS").replace("$(POD_NAME)", pod);
        Long stored = volumes.get(pod);
        long id;
        if (stored != null) {
            id = stored;
        } else if (ordinal < Integer.parseInt(env.get("JDQLITE_FOUNDERS")) && !"true".equals(env.get("JDQLITE_BOOTSTRAPPED")) && !bootstrapped) {
            id = ordinal + 1;
            founders = Integer.parseInt(env.get("JDQLITE_FOUNDERS"));
        } else {
            id = nextId++;
        }
        volumes.put(pod, id);
        Node node = new Node(pod, id, address);
        node.catchUpPolls = roles.containsKey(id) ? catchUpPolls : 0;
        running.put(pod, node);
        if (roles.containsKey(id)) {
            addresses.put(id, address);
        }
        if (pod.equals(env.get("JDQLITE_RECOVER_FROM")) && stored != null && !hasQuorum()) {
            roles.clear();
            roles.put(id, MemberRole.VOTER);
            addresses.clear();
            addresses.put(id, address);
            leaderId = 0;
        }
        if (!bootstrapped && founders > 0 && running.values().stream().filter(n -> n.id <= founders && n.id >= 1).count() == founders) {
            for (Node n : running.values()) {
                if (n.id >= 1 && n.id <= founders) {
                    roles.put(n.id, MemberRole.VOTER);
                    addresses.put(n.id, n.address);
                }
            }
            bootstrapped = true;
        }
        elect();
    }

    /** A pod deleted by the operator or the StatefulSet: losing quorum this way is the operator's fault. */
    synchronized void podStopped(String pod) {
        boolean before = hasQuorum();
        stop(pod);
        if (before) {
            checkQuorum();
        }
    }

    /** A node failure injected by a test. */
    synchronized void crash(String pod) {
        stop(pod);
    }

    private void stop(String pod) {
        Node node = running.remove(pod);
        if (node != null && node.id == leaderId) {
            leaderId = 0;
        }
        elect();
    }

    synchronized void volumeLost(String pod) {
        volumes.remove(pod);
    }

    // ---- test inspection ----

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<String> quorumLosses() {
        return List.copyOf(quorumLosses);
    }

    synchronized Map<Long, MemberRole> roles() {
        return new LinkedHashMap<>(roles);
    }

    synchronized long leaderId() {
        return leaderId;
    }

    synchronized long idOf(String pod) {
        Long id = volumes.get(pod);
        return id == null ? -1 : id;
    }

    /** Test hook: make {@code pod}'s node the leader without going through the operator. */
    synchronized void forceLeader(String pod) {
        leaderId = running.get(pod).id;
        term++;
    }

    // ---- ClusterAdmin ----

    @Override
    public synchronized NodeStatus status(String podAddress) {
        String pod = podAddress.substring(0, podAddress.indexOf(':'));
        Node node = running.get(pod);
        if (node == null) {
            throw new ClusterAdminException(podAddress + ": connection refused");
        }
        boolean member = roles.containsKey(node.id);
        boolean caughtUp = node.catchUpPolls == 0;
        if (node.catchUpPolls > 0) {
            node.catchUpPolls--;
        }
        List<NodeStatus.Member> members = new ArrayList<>();
        if (member) {
            for (Map.Entry<Long, MemberRole> e : roles.entrySet()) {
                Node holder = running.values().stream().filter(n -> n.id == e.getKey()).findFirst().orElse(null);
                long lag = holder == null ? 10_000 : holder.catchUpPolls > 0 ? 5_000 : 0;
                members.add(new NodeStatus.Member(e.getKey(), addresses.get(e.getKey()), e.getValue(), commit - Math.min(commit, lag), lag));
            }
        }
        Node leader = running.values().stream().filter(n -> n.id == leaderId).findFirst().orElse(null);
        return new NodeStatus(node.id, node.address, member ? roles.get(node.id) : MemberRole.SPARE, member,
                member && node.id == leaderId, leaderId, leader == null ? "" : leader.address, term, commit,
                caughtUp ? commit : 0, 0, caughtUp, 0, 0, 0, 0, members);
    }

    @Override
    public synchronized void addMember(long id, String address, MemberRole role) {
        requireLeader();
        if (roles.containsKey(id)) {
            throw new ClusterAdminException("node " + id + " is already a member");
        }
        calls.add(new Call("add", id, role.name()));
        roles.put(id, role);
        addresses.put(id, address);
        commit++;
    }

    @Override
    public synchronized void assignRole(long id, MemberRole role) {
        requireLeader();
        if (!roles.containsKey(id)) {
            throw new ClusterAdminException("node " + id + " is not a member");
        }
        calls.add(new Call("assign", id, role.name()));
        roles.put(id, role);
        commit++;
        checkQuorum();
    }

    @Override
    public synchronized void removeMember(long id) {
        requireLeader();
        if (id == leaderId) {
            throw new ClusterAdminException("the leader cannot remove itself; transfer leadership first");
        }
        if (!roles.containsKey(id)) {
            throw new ClusterAdminException("node " + id + " is not a member");
        }
        calls.add(new Call("remove", id, ""));
        roles.remove(id);
        addresses.remove(id);
        commit++;
        checkQuorum();
    }

    @Override
    public synchronized void transferLeadership(long toId) {
        requireLeader();
        boolean up = running.values().stream().anyMatch(n -> n.id == toId);
        if (roles.get(toId) != MemberRole.VOTER || !up) {
            throw new ClusterAdminException("cannot transfer to " + toId);
        }
        calls.add(new Call("transfer", toId, String.valueOf(leaderId)));
        leaderId = toId;
        term++;
    }

    private void requireLeader() {
        if (leaderId == 0 || !hasQuorum()) {
            throw new ClusterAdminException("no leader");
        }
    }

    private boolean hasQuorum() {
        long voters = roles.values().stream().filter(r -> r == MemberRole.VOTER).count();
        long up = roles.entrySet().stream().filter(e -> e.getValue() == MemberRole.VOTER)
                .filter(e -> running.values().stream().anyMatch(n -> n.id == e.getKey())).count();
        return voters > 0 && up >= voters / 2 + 1;
    }

    private void checkQuorum() {
        if (bootstrapped && !hasQuorum()) {
            quorumLosses.add("voters " + roles + " running " + running.keySet());
        }
    }

    private void elect() {
        if (!hasQuorum()) {
            leaderId = 0; // a leader that cannot reach a majority steps down
            return;
        }
        if (leaderId != 0 && running.values().stream().anyMatch(n -> n.id == leaderId) && roles.get(leaderId) == MemberRole.VOTER) {
            return;
        }
        leaderId = 0;
        if (!hasQuorum()) {
            return;
        }
        running.values().stream().filter(n -> roles.get(n.id) == MemberRole.VOTER).mapToLong(n -> n.id).min()
                .ifPresent(id -> {
                    leaderId = id;
                    term++;
                });
    }
}
