package io.jdqlite.node;

import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.jdqlite.wire.HostPort;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Parses {@code jdqlite.cluster} entries {@code id@host:port[/raftHost:raftPort]} into founding voters. */
final class ClusterMembers {
    static final String FORMAT = "id@host:port[/raftHost:raftPort]";

    private ClusterMembers() {
    }

    /**
     * @throws IllegalArgumentException naming the offending entry when one is malformed or ids repeat
     */
    static List<Member> parse(List<String> entries) {
        List<Member> members = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            Member m;
            try {
                m = parseEntry(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("jdqlite.cluster: bad entry '" + entry + "': " + e.getMessage()
                        + "; expected " + FORMAT + ", comma separated", e);
            }
            if (!ids.add(m.id())) {
                throw new IllegalArgumentException("jdqlite.cluster: node id " + Long.toUnsignedString(m.id())
                        + " appears more than once");
            }
            members.add(m);
        }
        return members;
    }

    private static Member parseEntry(String entry) {
        int at = entry.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("missing 'id@'");
        }
        long id;
        try {
            id = Long.parseUnsignedLong(entry.substring(0, at));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the id must be an unsigned 64-bit integer");
        }
        if (id == 0) {
            throw new IllegalArgumentException("the id must not be 0");
        }
        String rest = entry.substring(at + 1);
        int slash = rest.indexOf('/');
        String address = HostPort.check(slash < 0 ? rest : rest.substring(0, slash));
        String raftAddress = slash < 0
                ? RaftAddresses.derivedFrom(address)
                : HostPort.check(rest.substring(slash + 1));
        return new Member(id, address, raftAddress, Role.VOTER);
    }
}
