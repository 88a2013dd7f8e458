package io.jdqlite.cli;

import io.jdqlite.engine.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoverCommandTest {
    @TempDir
    Path tmp;

    @Test
    void membersParseWithDefaultAndExplicitRaftAddresses() {
        List<Member> m = RecoverCommand.parse(List.of("1@127.0.0.1:9001", "2@127.0.0.1:9002/127.0.0.1:9102"));
        assertThat(m).extracting(Member::raftAddress).containsExactly("127.0.0.1:10001", "127.0.0.1:9102");
        assertThatThrownBy(() -> RecoverCommand.parse(List.of("127.0.0.1:9001"))).hasMessageContaining("id@host:port");
    }

    @Test
    void aDirectoryWithoutANodeIsRefusedWithoutTouchingIt() {
        int missing = new CommandLine(new Main()).execute("recover", "--data", tmp.resolve("nope").toString(), "--address", "127.0.0.1:9001");
        assertThat(missing).isEqualTo(2);
        int empty = new CommandLine(new Main()).execute("recover", "--data", tmp.toString(), "--address", "127.0.0.1:9001");
        assertThat(empty).isEqualTo(2);
        assertThat(tmp.toFile().list()).isEmpty();
    }
}
