package io.jdqlite.wire;

/**
 * A dqlite address, {@code host:port} with IPv6 hosts in brackets: what nodes advertise, clients dial and
 * settings name. Parsing errors quote the address and say what is wrong with it.
 */
public record HostPort(String host, int port) {

    /** Parses {@code host:port} with a port in 1-65535. */
    public static HostPort parse(String address) {
        return parse(address, 1);
    }

    /** As {@link #parse}, but also takes port 0: a listener bound to any free port. */
    public static HostPort parseBindable(String address) {
        return parse(address, 0);
    }

    /** Returns {@code address} unchanged when it parses, so settings can be checked inline. */
    public static String check(String address) {
        parse(address);
        return address;
    }

    private static HostPort parse(String address, int minPort) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("missing address (host:port)");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("'" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + address + "' has a non-numeric port", e);
        }
        if (port < minPort || port > 65535) {
            throw new IllegalArgumentException("'" + address + "' has a port outside " + minPort + "-65535");
        }
        return new HostPort(host, port);
    }
}
