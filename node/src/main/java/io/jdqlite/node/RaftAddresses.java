package io.jdqlite.node;

import io.jdqlite.engine.EngineConfig;
import io.jdqlite.wire.HostPort;

/** The default Raft address of a member: its client address's host, port + 1000, checked to be a port. */
final class RaftAddresses {
    private RaftAddresses() {
    }

    static String derivedFrom(String clientAddress) {
        int offset = EngineConfig.DEFAULT_RAFT_PORT_OFFSET;
        if (HostPort.parse(clientAddress).port() + offset > 65535) {
            throw new IllegalArgumentException("'" + clientAddress + "' leaves no room for a Raft port at +" + offset
                    + "; give the Raft address explicitly");
        }
        return EngineConfig.raftAddressFor(clientAddress, offset);
    }
}
