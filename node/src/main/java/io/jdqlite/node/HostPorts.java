package io.jdqlite.node;

import io.jdqlite.engine.EngineConfig;

/** Validation of {@code host:port} settings, so a typo fails at startup with the value in the message. */
final class HostPorts {
    private HostPorts() {
    }

    /** Returns {@code address} when it is {@code host:port} with a port in 1-65535. */
    static String check(String address) {
        port(address);
        return address;
    }

    /** The Raft address convention: same host, port + {@code offset}. */
    static String withPortOffset(String address, int offset) {
        int port = port(address) + offset;
        if (port > 65535) {
            throw new IllegalArgumentException("'" + address + "' leaves no room for a Raft port at +" + offset
                    + "; give the Raft address explicitly");
        }
        return EngineConfig.raftAddressFor(address, offset);
    }

    private static int port(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "' has a non-numeric port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + address + "' has a port outside 1-65535");
        }
        return port;
    }
}
