package io.jdqlite.client;

/** {@code host:port}, IPv6 hosts in brackets. */
record HostPort(String host, int port) {
    static HostPort parse(String address) {
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address must be host:port: " + address);
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in address " + address, e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad port in address " + address);
        }
        return new HostPort(host, port);
    }
}
