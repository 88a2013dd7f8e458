package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdqlite.wire.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMetadataTest {
    @TempDir
    Path dir;

    @Test
    void persistentMetadataSurvivesReload() throws IOException {
        Path file = dir.resolve("sub").resolve("meta.properties");
        NodeMetadata m = NodeMetadata.persistent(file, 3, 1);
        assertThat(m.failureDomain()).isEqualTo(3);
        assertThat(m.weight()).isEqualTo(1);
        m.setWeight(-1); // uint64 max on the wire
        m.setFailureDomain(9);
        NodeMetadata reloaded = NodeMetadata.persistent(file, 0, 0);
        assertThat(reloaded.weight()).isEqualTo(-1);
        assertThat(reloaded.failureDomain()).isEqualTo(9);
    }

    @Test
    void inMemoryMetadataWritesNothing() throws IOException {
        NodeMetadata m = new NodeMetadata(1, 2);
        m.setWeight(5);
        assertThat(m.weight()).isEqualTo(5);
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void malformedFileIsAClearError() throws IOException {
        Path file = dir.resolve("meta.properties");
        Files.writeString(file, "weight=heavy\n");
        assertThatThrownBy(() -> NodeMetadata.persistent(file, 0, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void hostPortParsing() {
        assertThat(HostPort.parse("127.0.0.1:9001")).isEqualTo(new HostPort("127.0.0.1", 9001));
        assertThat(HostPort.parse("[::1]:9001")).isEqualTo(new HostPort("::1", 9001));
        assertThatThrownBy(() -> HostPort.parse("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HostPort.parse("h:99999")).isInstanceOf(IllegalArgumentException.class);
    }
}
