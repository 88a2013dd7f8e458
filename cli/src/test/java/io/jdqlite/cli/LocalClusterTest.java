package io.jdqlite.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalClusterTest {
    private static final Path DATA = Path.of("/tmp/jd");

    @Test
    void numbersNodesFromOneWithConsecutivePorts() {
        LocalCluster c = LocalCluster.plan(3, "127.0.0.1", 9001, 10001, 8001, DATA);

        assertThat(c.nodes()).extracting(LocalCluster.Node::id).containsExactly(1L, 2L, 3L);
        assertThat(c.nodes()).extracting(LocalCluster.Node::address)
                .containsExactly("127.0.0.1:9001", "127.0.0.1:9002", "127.0.0.1:9003");
        assertThat(c.nodes()).extracting(LocalCluster.Node::raftAddress)
                .containsExactly("127.0.0.1:10001", "127.0.0.1:10002", "127.0.0.1:10003");
        assertThat(c.nodes()).extracting(LocalCluster.Node::httpPort).containsExactly(8001, 8002, 8003);
        assertThat(c.nodes().get(1).dataDir()).isEqualTo(DATA.resolve("node2"));
        assertThat(c.nodes().get(1).logFile()).isEqualTo(DATA.resolve("node2.log"));
    }

    @Test
    void everyNodeGetsItsOwnIdentityAndTheSameClusterList() {
        LocalCluster c = LocalCluster.plan(2, "127.0.0.1", 22001, 22201, 22101, DATA);
        String cluster = "1@127.0.0.1:22001/127.0.0.1:22201,2@127.0.0.1:22002/127.0.0.1:22202";

        assertThat(c.nodes().get(0).env()).isEqualTo(Map.of(
                "JDQLITE_ID", "1",
                "JDQLITE_ADDRESS", "127.0.0.1:22001",
                "JDQLITE_RAFT_ADDRESS", "127.0.0.1:22201",
                "JDQLITE_CLUSTER", cluster,
                "JDQLITE_DATA_DIR", DATA.resolve("node1").toString(),
                "QUARKUS_HTTP_HOST", "127.0.0.1",
                "QUARKUS_HTTP_PORT", "22101"));
        assertThat(c.nodes().get(1).env())
                .containsEntry("JDQLITE_ID", "2")
                .containsEntry("JDQLITE_CLUSTER", cluster)
                .containsEntry("QUARKUS_HTTP_PORT", "22102");
    }

    @Test
    void samePlanForTheSameArgumentsSoARestartFindsItsData() {
        assertThat(LocalCluster.plan(3, "127.0.0.1", 9001, 10001, 8001, DATA))
                .isEqualTo(LocalCluster.plan(3, "127.0.0.1", 9001, 10001, 8001, DATA));
    }

    @Test
    void connectCommandListsEveryNode() {
        assertThat(LocalCluster.plan(3, "127.0.0.1", 9001, 10001, 8001, DATA).connectCommand("db"))
                .isEqualTo("dqlite -s 127.0.0.1:9001,127.0.0.1:9002,127.0.0.1:9003 db");
    }

    @Test
    void rejectsBadCountsAndPortRanges() {
        assertThatThrownBy(() -> LocalCluster.plan(0, "127.0.0.1", 9001, 10001, 8001, DATA))
                .hasMessageContaining("--nodes must be between 1 and 99");
        assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 65534, 10001, 8001, DATA))
                .hasMessageContaining("--port 65534 with 3 nodes");
        assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 9001, 9003, 8001, DATA))
                .hasMessageContaining("--port 9001 and --raft-port 9003 overlap");
        assertThatThrownBy(() -> LocalCluster.plan(3, "127.0.0.1", 9001, 10001, 10000, DATA))
                .hasMessageContaining("--raft-port 10001 and --http-port 10000 overlap");
    }
}
