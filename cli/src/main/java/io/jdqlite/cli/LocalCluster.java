package io.jdqlite.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The layout of a local cluster: node {@code i} (from 1) gets client port {@code port+i-1}, Raft port
 * {@code raftPort+i-1}, HTTP port {@code httpPort+i-1} and the data directory {@code data/node<i>}. The same
 * arguments always give the same layout, which is what lets {@code local} restart a cluster from its data.
 */
record LocalCluster(String host, List<Node> nodes) {
    static final int MAX_NODES = 99;

    /** One node process: its addresses, files and the environment that configures it. */
    record Node(long id, String address, String raftAddress, int httpPort, Path dataDir, Path logFile,
                Map<String, String> env) {
    }

    /** @throws IllegalArgumentException when the counts or port ranges are unusable */
    static LocalCluster plan(int nodes, String host, int port, int raftPort, int httpPort, Path data) {
        if (nodes < 1 || nodes > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 1 and " + MAX_NODES + ", got " + nodes);
        }
        checkRange("--port", port, nodes);
        checkRange("--raft-port", raftPort, nodes);
        checkRange("--http-port", httpPort, nodes);
        checkDisjoint("--port", port, "--raft-port", raftPort, nodes);
        checkDisjoint("--port", port, "--http-port", httpPort, nodes);
        checkDisjoint("--raft-port", raftPort, "--http-port", httpPort, nodes);

        List<String> cluster = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            cluster.add((i + 1) + "@" + host + ":" + (port + i) + "/" + host + ":" + (raftPort + i));
        }
        String clusterList = String.join(",", cluster);
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            long id = i + 1;
            String address = host + ":" + (port + i);
            String raftAddress = host + ":" + (raftPort + i);
            Path dir = data.resolve("node" + id);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JDQLITE_ID", Long.toString(id));
            env.put("JDQLITE_ADDRESS", address);
            env.put("JDQLITE_RAFT_ADDRESS", raftAddress);
            env.put("JDQLITE_CLUSTER", clusterList);
            env.put("JDQLITE_DATA_DIR", dir.toString());
            env.put("QUARKUS_HTTP_HOST", host);
            env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort + i));
            out.add(new Node(id, address, raftAddress, httpPort + i, dir, data.resolve("node" + id + ".log"),
                    Map.copyOf(env)));
        }
        return new LocalCluster(host, List.copyOf(out));
    }

    /** The go-dqlite shell command that connects to every node. */
    String connectCommand(String database) {
        return "dqlite -s " + nodes.stream().map(Node::address).collect(Collectors.joining(",")) + " " + database;
    }

    private static void checkRange(String option, int first, int count) {
        if (first < 1 || first + count - 1 > 65535) {
            throw new IllegalArgumentException(option + " " + first + " with " + count
                    + " nodes needs ports " + first + "-" + (first + count - 1) + ", outside 1-65535");
        }
    }

    private static void checkDisjoint(String a, int aFirst, String b, int bFirst, int count) {
        if (aFirst < bFirst + count && bFirst < aFirst + count) {
            throw new IllegalArgumentException(a + " " + aFirst + " and " + b + " " + bFirst + " overlap for "
                    + count + " nodes");
        }
    }
}
