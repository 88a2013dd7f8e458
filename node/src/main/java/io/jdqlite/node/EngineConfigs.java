package io.jdqlite.node;

import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.RolesPolicy;
import io.jdqlite.wire.HostPort;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** Translates the node's {@code jdqlite.*} settings into an {@link EngineConfig}, rejecting inconsistent ones. */
final class EngineConfigs {
    private EngineConfigs() {
    }

    /** @throws IllegalArgumentException with the setting's name and value when the configuration is unusable */
    static EngineConfig from(NodeConfig c) {
        String address = setting("jdqlite.address", c.address(), HostPort::check);
        List<Member> cluster = ClusterMembers.parse(c.cluster().orElse(List.of()));
        List<String> join = c.join().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(a -> setting("jdqlite.join", a, HostPort::check)).toList();
        Optional<Member> self = cluster.stream().filter(m -> m.id() == c.id()).findFirst();

        List<Member> founders = cluster;
        if (!cluster.isEmpty()) {
            if (c.id() == 0) {
                throw new IllegalArgumentException("jdqlite.cluster is set but jdqlite.id is not: a founding node needs "
                        + "an explicit id that appears in the cluster list");
            }
            if (self.isEmpty()) {
                if (join.isEmpty()) {
                    throw new IllegalArgumentException("jdqlite.id " + Long.toUnsignedString(c.id())
                            + " is not in jdqlite.cluster " + c.cluster().get()
                            + "; list this node there, or set jdqlite.join to join an existing cluster");
                }
                founders = List.of(); // not a founder: join instead
            } else if (!self.get().address().equals(address)) {
                throw new IllegalArgumentException("jdqlite.address " + address + " differs from the jdqlite.cluster entry"
                        + " of node " + Long.toUnsignedString(c.id()) + " (" + self.get().address() + ")");
            }
        }
        String raftAddress = c.raftAddress().map(a -> setting("jdqlite.raft-address", a, HostPort::check))
                .or(() -> self.map(Member::raftAddress))
                .orElseGet(() -> setting("jdqlite.address", address, RaftAddresses::derivedFrom));

        EngineConfig.Builder b = EngineConfig.builder()
                .nodeId(c.id())
                .dataDir(Path.of(c.dataDir()))
                .address(address)
                .raftAddress(raftAddress)
                .clusterName(c.clusterName())
                .initialMembers(founders)
                .joinAddresses(join)
                .electionTimeout(c.electionTimeoutMin(), c.electionTimeoutMax())
                .writeTimeout(c.writeTimeout())
                .busyTimeout(c.busyTimeout())
                .checkpointThresholdPages(c.checkpointThreshold())
                .maxDatabases(c.maxDatabases())
                .snapshotThresholdEntries(c.snapshotThreshold())
                .snapshotBytesPerSecond(mibPerSecond(c.snapshotWriteRate()))
                .dumpDiskReserveBytes(mib("jdqlite.dump-disk-reserve", c.dumpDiskReserve()));
        try {
            NodeConfig.Roles r = c.roles();
            b.roles(new RolesPolicy(r.auto(), r.voters(), r.standbys(), r.offlineAfter()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jdqlite.roles: " + e.getMessage(), e);
        }
        c.raftBind().ifPresent(a -> b.raftBindAddress(setting("jdqlite.raft-bind", a, HostPort::check)));
        c.maxResultBytes().ifPresent(b::maxResultBytes);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jdqlite: " + e.getMessage(), e);
        }
    }

    private static long mibPerSecond(long mib) {
        if (mib < 0 || mib > (Long.MAX_VALUE >> 20)) {
            throw new IllegalArgumentException("jdqlite.snapshot-write-rate: " + mib
                    + " is not a rate in MiB/s (0 for as fast as the disk goes)");
        }
        return mib << 20;
    }

    private static long mib(String name, long mib) {
        if (mib < 0 || mib > (Long.MAX_VALUE >> 20)) {
            throw new IllegalArgumentException(name + ": " + mib + " is not a size in MiB");
        }
        return mib << 20;
    }

    private static String setting(String name, String value, UnaryOperator<String> check) {
        try {
            return check.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }
}
