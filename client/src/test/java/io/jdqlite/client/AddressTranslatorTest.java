package io.jdqlite.client;

import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client outside the cluster's network: the node names itself (LEADER) by an address only the cluster
 * resolves, as a Kubernetes pod does by its DNS name, and the client reaches it through another one, as
 * through a port-forward (ports 25130-25132).
 */
class AddressTranslatorTest {
    private static final String POD_ADDRESS = "db-0.db-headless.app.svc.invalid:9001";

    private static ScriptedNode node(int port) throws Exception {
        return new ScriptedNode(port, r -> List.of(new Response.Result(7, 1))).advertising(POD_ADDRESS);
    }

    private static DqliteClient client(ScriptedNode node, UnaryOperator<String> translator) {
        return DqliteClient.create(ClientConfig.builder().addresses(List.of(node.address()))
                .leaderSearchTimeout(Duration.ofSeconds(1)).addressTranslator(translator).build());
    }

    @Test
    void withoutTranslationTheLeaderItNamesCannotBeReached() throws Exception {
        try (ScriptedNode node = node(25130)) {
            assertThatThrownBy(() -> client(node, UnaryOperator.identity()).open("db"))
                    .isInstanceOf(DqliteException.class).hasMessageContaining("cannot connect to " + POD_ADDRESS);
        }
    }

    @Test
    void theLeaderItNamesIsDialedWhereTheTranslatorSays() throws Exception {
        try (ScriptedNode node = node(25131)) {
            Map<String, String> forwards = Map.of(POD_ADDRESS, node.address());
            try (DqliteConnection c = client(node, a -> forwards.getOrDefault(a, a)).open("db")) {
                assertThat(c.exec("INSERT INTO t VALUES (1)")).isEqualTo(new ExecResult(7, 1));
            }
            assertThat(node.received).singleElement().isInstanceOf(Request.ExecSql.class);
        }
    }

    @Test
    void aTranslatorGivingNoAddressIsAClearError() throws Exception {
        try (ScriptedNode node = node(25132)) {
            assertThatThrownBy(() -> client(node, a -> a.equals(POD_ADDRESS) ? "db-0" : a).open("db"))
                    .isInstanceOf(DqliteException.class)
                    .hasMessageContaining("the address translator gave a bad address for " + POD_ADDRESS);
            assertThatThrownBy(() -> client(node, a -> a.equals(POD_ADDRESS) ? null : a).open("db"))
                    .isInstanceOf(DqliteException.class)
                    .hasMessageContaining("the address translator gave no address for " + POD_ADDRESS);
        }
    }
}
