package io.jdqlite.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jdqlite.engine.Member;
import io.jdqlite.engine.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterMembersTest {
    @Test
    void parsesEntriesWithDefaultAndExplicitRaftAddresses() {
        List<Member> members = ClusterMembers.parse(List.of("1@127.0.0.1:9001", " 2@10.0.0.2:9001/10.0.1.2:7000 ",
                "18446744073709551615@[::1]:9003"));

        assertThat(members).containsExactly(
                new Member(1, "127.0.0.1:9001", "127.0.0.1:10001", Role.VOTER),
                new Member(2, "10.0.0.2:9001", "10.0.1.2:7000", Role.VOTER),
                new Member(-1L, "[::1]:9003", "[::1]:10003", Role.VOTER));
    }

    @Test
    void skipsEmptyEntries() {
        assertThat(ClusterMembers.parse(List.of("", " ", "1@h:1"))).hasSize(1);
    }

    @Test
    void rejectsMalformedEntriesNamingThem() {
        for (String bad : List.of("127.0.0.1:9001", "x@h:1", "0@h:1", "1@h", "1@h:", "1@:9001", "1@h:99999",
                "1@h:abc", "1@h:1/r", "1@h:65000")) {
            assertThatThrownBy(() -> ClusterMembers.parse(List.of(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("jdqlite.cluster")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void rejectsDuplicateIds() {
        assertThatThrownBy(() -> ClusterMembers.parse(List.of("1@a:1", "1@b:2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node id 1 appears more than once");
    }
}
