package io.jdqlite.operator;

import io.jdqlite.operator.admin.ClusterAdmin;
import io.jdqlite.operator.admin.ClusterAdminException;
import io.jdqlite.operator.admin.NodeStatus;
import io.jdqlite.operator.api.MemberRole;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The fake cluster, with pods whose admin API the operator cannot reach (network policy, overload). */
final class ReachableAdmin implements ClusterAdmin {
    final FakeCluster fake;
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();

    ReachableAdmin(FakeCluster fake) {
        this.fake = fake;
    }

    @Override
    public NodeStatus status(String podAddress) {
        if (unreachable.contains(podAddress.substring(0, podAddress.indexOf(':')))) {
            throw new ClusterAdminException("GET /admin/status on " + podAddress + " failed: HttpTimeoutException");
        }
        return fake.status(podAddress);
    }

    @Override
    public void addMember(long id, String address, MemberRole role) {
        fake.addMember(id, address, role);
    }

    @Override
    public void assignRole(long id, MemberRole role) {
        fake.assignRole(id, role);
    }

    @Override
    public void removeMember(long id) {
        fake.removeMember(id);
    }

    @Override
    public void transferLeadership(long toId) {
        fake.transferLeadership(toId);
    }
}
