package io.jdqlite.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdqlite.engine.EngineConfig;
import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineConfigsTest {
    private static EngineConfig from(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(NodeConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "1s"/"200ms" syntax
                .withSources(new PropertiesConfigSource(props, "test", 100))
                .build();
        return EngineConfigs.from(config.getConfigMapping(NodeConfig.class));
    }

    @Test
    void defaultsGiveAStandaloneNodeWithTheRaftPortOffset() {
        EngineConfig c = from();

        assertThat(c.nodeId()).isZero();
        assertThat(c.address()).isEqualTo("127.0.0.1:9001");
        assertThat(c.raftAddress()).isEqualTo("127.0.0.1:10001");
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.initialMembers()).isEmpty();
        assertThat(c.checkpointThresholdPages()).isEqualTo(1000);
        assertThat(c.snapshotBytesPerSecond()).as("64 MiB/s by default").isEqualTo(64L << 20);
        assertThat(c.dumpDiskReserveBytes()).as("256 MiB by default").isEqualTo(256L << 20);
    }

    @Test
    void founderTakesClusterAndItsOwnRaftAddressFromTheList() {
        EngineConfig c = from("jdqlite.id", "2", "jdqlite.address", "127.0.0.1:9002", "jdqlite.data-dir", "/d",
                "jdqlite.cluster", "1@127.0.0.1:9001/127.0.0.1:7001,2@127.0.0.1:9002/127.0.0.1:7002",
                "jdqlite.election-timeout-min", "200ms", "jdqlite.election-timeout-max", "400ms",
                "jdqlite.write-timeout", "3s", "jdqlite.snapshot-threshold", "100", "jdqlite.cluster-name", "c1",
                "jdqlite.snapshot-write-rate", "200", "jdqlite.dump-disk-reserve", "1024");

        assertThat(c.nodeId()).isEqualTo(2);
        assertThat(c.raftAddress()).isEqualTo("127.0.0.1:7002");
        assertThat(c.initialMembers()).containsExactly(
                new Member(1, "127.0.0.1:9001", "127.0.0.1:7001", Role.VOTER),
                new Member(2, "127.0.0.1:9002", "127.0.0.1:7002", Role.VOTER));
        assertThat(c.electionTimeoutMin()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.electionTimeoutMax()).isEqualTo(Duration.ofMillis(400));
        assertThat(c.writeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.snapshotThresholdEntries()).isEqualTo(100);
        assertThat(c.snapshotBytesPerSecond()).isEqualTo(200L << 20);
        assertThat(c.clusterName()).isEqualTo("c1");
        assertThat(c.dumpDiskReserveBytes()).isEqualTo(1L << 30);
        assertThat(c.dataDir()).isEqualTo(Path.of("/d"));
    }

    @Test
    void explicitRaftAddressAndBindWin() {
        EngineConfig c = from("jdqlite.id", "1", "jdqlite.cluster", "1@127.0.0.1:9001",
                "jdqlite.raft-address", "node1:7000", "jdqlite.raft-bind", "0.0.0.0:7000");

        assertThat(c.raftAddress()).isEqualTo("node1:7000");
        assertThat(c.raftBindAddress()).isEqualTo("0.0.0.0:7000");
    }

    @Test
    void nodeOutsideTheClusterListJoinsWhenJoinIsGiven() {
        EngineConfig c = from("jdqlite.id", "4", "jdqlite.address", "127.0.0.1:9004",
                "jdqlite.cluster", "1@127.0.0.1:9001", "jdqlite.join", "127.0.0.1:9001, 127.0.0.1:9002");

        assertThat(c.initialMembers()).isEmpty();
        assertThat(c.joinAddresses()).containsExactly("127.0.0.1:9001", "127.0.0.1:9002");
    }

    @Test
    void rejectsInconsistentSettingsWithTheSettingName() {
        assertThatThrownBy(() -> from("jdqlite.cluster", "1@127.0.0.1:9001"))
                .hasMessageContaining("jdqlite.id");
        assertThatThrownBy(() -> from("jdqlite.id", "3", "jdqlite.cluster", "1@127.0.0.1:9001"))
                .hasMessageContaining("jdqlite.id 3 is not in jdqlite.cluster");
        assertThatThrownBy(() -> from("jdqlite.id", "1", "jdqlite.address", "127.0.0.1:9005",
                "jdqlite.cluster", "1@127.0.0.1:9001"))
                .hasMessageContaining("differs from the jdqlite.cluster entry");
        assertThatThrownBy(() -> from("jdqlite.address", "nohost"))
                .hasMessageContaining("jdqlite.address: 'nohost' is not host:port");
        assertThatThrownBy(() -> from("jdqlite.join", "x:y"))
                .hasMessageContaining("jdqlite.join");
        assertThatThrownBy(() -> from("jdqlite.election-timeout-min", "2s", "jdqlite.election-timeout-max", "1s"))
                .hasMessageContaining("electionTimeoutMax");
        assertThatThrownBy(() -> from("jdqlite.snapshot-write-rate", "-1"))
                .hasMessageContaining("jdqlite.snapshot-write-rate: -1 is not a rate in MiB/s");
        assertThatThrownBy(() -> from("jdqlite.dump-disk-reserve", "-5"))
                .hasMessageContaining("jdqlite.dump-disk-reserve: -5 is not a size in MiB");
    }
}
