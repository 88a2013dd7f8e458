package io.jdqlite.cli;

import io.jdqlite.engine.Engine;
import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code jdqlite recover}: quorum-loss recovery of a stopped node (dqlite's reconfigure). Never automatic:
 * an operator runs it on the most up-to-date survivor once the lost members are known to be gone.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Rebuilds a cluster that lost its quorum from one stopped survivor.",
                "The survivor's data (its whole Raft log included) becomes a new cluster history whose members are",
                "--members (default: the survivor alone, as voter). Run it with every node stopped, on the survivor",
                "with the most recent data; then start the survivor normally. Nodes left out must have their data",
                "directories wiped and join again as new members (jdqlite node --join ...)."})
final class RecoverCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Data directory of the stopped survivor.")
    Path data;

    @Option(names = "--address", required = true, description = "The survivor's client address host:port, as it was configured.")
    String address;

    @Option(names = "--raft-address", description = "The survivor's Raft address (default: client port + 1000).")
    String raftAddress;

    @Option(names = "--cluster-name", defaultValue = "jdqlite", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String clusterName;

    @Option(names = "--members", split = ",",
            description = "New configuration, id@host:port[/raftHost:raftPort] voters (default: the survivor alone).")
    List<String> members = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(data)) {
            System.err.println("jdqlite recover: no such data directory: " + data);
            return 2;
        }
        EngineConfig.Builder b = EngineConfig.builder().dataDir(data).address(address).clusterName(clusterName);
        if (raftAddress != null) {
            b.raftAddress(raftAddress);
        }
        EngineConfig config = b.build();
        long index;
        try {
            if (members.isEmpty()) {
                index = Engine.recoverAsSoleVoter(config, msg -> System.err.println("recover: " + msg));
            } else {
                index = Engine.recover(config, parse(members), msg -> System.err.println("recover: " + msg));
            }
        } catch (IllegalArgumentException e) {
            System.err.println("jdqlite recover: " + e.getMessage());
            return 2;
        }
        System.out.println("recovered at log index " + index + "; start the node normally now");
        return 0;
    }

    static List<Member> parse(List<String> specs) {
        List<Member> out = new ArrayList<>();
        for (String spec : specs) {
            int at = spec.indexOf('@');
            if (at <= 0) {
                throw new IllegalArgumentException("--members entry must be id@host:port[/raftHost:raftPort]: " + spec);
            }
            long id = Long.parseUnsignedLong(spec.substring(0, at).trim());
            String rest = spec.substring(at + 1).trim();
            int slash = rest.indexOf('/');
            String client = slash < 0 ? rest : rest.substring(0, slash);
            String raft = slash < 0 ? EngineConfig.raftAddressFor(client, EngineConfig.DEFAULT_RAFT_PORT_OFFSET) : rest.substring(slash + 1);
            out.add(new Member(id, client, raft, Role.VOTER));
        }
        return out;
    }
}
