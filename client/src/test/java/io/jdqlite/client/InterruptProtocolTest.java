package io.jdqlite.client;

import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.jdqlite.wire.Value;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * How the client reads what follows an INTERRUPT, against a scripted node (ports 27040-27049) playing each
 * kind of dqlite: one that stops the statement, one that answers the interrupt only after the statement ended
 * (dqlite 1.11 does), one that reports the stop as a FAILURE without any EMPTY (dqlite 1.16), one that never
 * answers.
 */
class InterruptProtocolTest {
    private static final Duration INTERRUPT_TIMEOUT = Duration.ofSeconds(2);
    private static final Response.Rows ONE = new Response.Rows(List.of("1"), List.of(List.of(Value.integer(1))), true);

    /** Answers "SELECT 1" with 1, runs {@code slow} forever (nothing), and answers INTERRUPT with {@code afterInterrupt}. */
    private static Function<Request, List<Response>> script(List<Response> afterInterrupt) {
        return r -> {
            if (r instanceof Request.QuerySql q && q.sql().equals("SELECT 1")) {
                return List.of(ONE);
            }
            if (r instanceof Request.Interrupt) {
                return afterInterrupt;
            }
            return List.of();
        };
    }

    private static DqliteClient client(ScriptedNode node) {
        return DqliteClient.create(ClientConfig.builder().addresses(List.of(node.address()))
                .interruptTimeout(INTERRUPT_TIMEOUT).requestTimeout(Duration.ofSeconds(60)).build());
    }



    @Test
    void rowsSentBeforeTheInterruptWasReadAreSkippedUpToItsEmpty() throws Exception {
        // dqlite 1.11 reads the INTERRUPT only once the query has sent all its rows
        Response.Rows part = new Response.Rows(List.of("x"), List.of(List.of(Value.integer(7))), false);
        Response.Rows last = new Response.Rows(List.of("x"), List.of(List.of(Value.integer(8))), true);
        try (ScriptedNode node = new ScriptedNode(27040, script(List.of(part, last, new Response.Empty())));
             DqliteConnection c = client(node).open("db")) {
            CompletableFuture<Object> query = Background.run(() -> c.query("SELECT slow"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(c::interrupt);
            assertThat(Background.failureOf(query, 10)).isInstanceOfSatisfying(DqliteException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("interrupted");
                assertThat(e.getSQLState()).isEqualTo(DqliteException.STATE_CANCELED);
                assertThat(e.outcomeUnknown()).isFalse();
            });
            assertThat(c.isClosed()).isFalse();
            try (Rows r = c.query("SELECT 1")) { // answered with its own rows, not a leftover of the interrupted query
                assertThat(r.next()).isTrue();
                assertThat(r.get(0)).isEqualTo(1L);
            }
            assertThat(node.received).hasSize(3).element(1).isEqualTo(new Request.Interrupt(0));
        }
    }

    @Test
    void anExecThatCompletedBeforeTheInterruptKeepsItsResult() throws Exception {
        try (ScriptedNode node = new ScriptedNode(27041, script(List.of(new Response.Result(42, 3), new Response.Empty())));
             DqliteConnection c = client(node).open("db")) {
            CompletableFuture<Object> exec = Background.run(() -> c.exec("INSERT slow"));
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(c::interrupt);
            assertThat(exec.get(10, TimeUnit.SECONDS)).isEqualTo(new ExecResult(42, 3));
            try (Rows r = c.query("SELECT 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.get(0)).isEqualTo(1L);
            }
        }
    }

    @Test
    void aFailureForTheInterruptedStatementClosesTheConnectionAtOnce() throws Exception {
        // dqlite 1.16 answers a statement it stopped with a FAILURE and nothing for the INTERRUPT: waiting for an
        // EMPTY would hang, and reading on would take the next answer for the next request's
        try (ScriptedNode node = new ScriptedNode(27042, script(List.of(new Response.Failure(9, "interrupted"))));
             DqliteConnection c = client(node).open("db")) {
            CompletableFuture<Object> query = Background.run(() -> c.query("SELECT slow"));
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(c::interrupt);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(INTERRUPT_TIMEOUT);
            assertThat(Background.failureOf(query, 10)).isInstanceOfSatisfying(DqliteException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo(DqliteException.STATE_CANCELED);
                assertThat(e.getErrorCode()).isEqualTo(9);
            });
            assertThat(c.isClosed()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(node::allClientsGone);
        }
    }

    @Test
    void aNodeThatNeverConfirmsLosesTheConnectionAfterTheInterruptTimeout() throws Exception {
        try (ScriptedNode node = new ScriptedNode(27043, script(List.of()));
             DqliteConnection c = client(node).open("db")) {
            CompletableFuture<Object> exec = Background.run(() -> c.exec("INSERT slow"));
            long[] took = new long[1];
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                long start = System.nanoTime();
                boolean sent = c.interrupt();
                took[0] = System.nanoTime() - start;
                return sent;
            });
            assertThat(Duration.ofNanos(took[0])).isBetween(INTERRUPT_TIMEOUT.minusMillis(100), INTERRUPT_TIMEOUT.plusSeconds(3));
            assertThat(Background.failureOf(exec, 10)).isInstanceOfSatisfying(DqliteException.class, e -> {
                assertThat(e.getMessage()).contains("interrupted (the node did not confirm within 2000 ms")
                        .contains("may or may not have been applied");
                assertThat(e.outcomeUnknown()).isTrue();
            });
            assertThat(c.isClosed()).isTrue();
            assertThat(node.received).contains(new Request.Interrupt(0));
        }
    }

    @Test
    void aResultNobodyIsReadingIsReadToItsEndByTheInterrupt() throws Exception {
        Response.Rows first = new Response.Rows(List.of("x"), List.of(List.of(Value.integer(1)), List.of(Value.integer(2))), false);
        Response.Rows more = new Response.Rows(List.of("x"), List.of(List.of(Value.integer(3))), false);
        Function<Request, List<Response>> script = r -> {
            if (r instanceof Request.QuerySql q && q.sql().equals("SELECT many")) {
                return List.of(first);
            }
            if (r instanceof Request.Interrupt) {
                return List.of(more, new Response.Empty()); // a page already on its way, then the stop
            }
            return script(List.of()).apply(r);
        };
        try (ScriptedNode node = new ScriptedNode(27044, script); DqliteConnection c = client(node).open("db")) {
            Rows rows = c.query("SELECT many");
            assertThat(rows.next()).isTrue();
            // the same thread, between two pages: nobody else would read the node's answer
            assertThat(c.interrupt()).isTrue();
            assertThat(rows.next()).as("the page already read").isTrue();
            assertThat(rows.get(0)).isEqualTo(2L);
            assertThatThrownBy(rows::next).isInstanceOf(DqliteException.class).hasMessage("interrupted");
            assertThat(rows.next()).isFalse();
            rows.close();
            assertThat(c.interrupt()).as("nothing runs any more").isFalse();
            try (Rows r = c.query("SELECT 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.get(0)).isEqualTo(1L);
            }
            assertThat(node.received).filteredOn(r -> r instanceof Request.Interrupt).hasSize(1);
        }
    }

    @Test
    void closingAnUnfinishedResultStopsItInsteadOfReadingItToItsEnd() throws Exception {
        // The node sends the rest of the result only if nobody interrupts: reading it all would hang here.
        Response.Rows first = new Response.Rows(List.of("x"), List.of(List.of(Value.integer(1))), false);
        Function<Request, List<Response>> script = r -> {
            if (r instanceof Request.QuerySql q && q.sql().equals("SELECT endless")) {
                return List.of(first);
            }
            if (r instanceof Request.Interrupt) {
                return List.of(new Response.Empty());
            }
            return script(List.of()).apply(r);
        };
        try (ScriptedNode node = new ScriptedNode(27045, script); DqliteConnection c = client(node).open("db")) {
            Rows rows = c.query("SELECT endless");
            assertThat(rows.next()).isTrue();
            CompletableFuture<Object> closing = Background.run(() -> {
                rows.close();
                return "closed";
            });
            assertThat(closing.get(10, TimeUnit.SECONDS)).isEqualTo("closed"); // not the 60 s request timeout
            assertThat(c.isClosed()).as("the node confirmed the interrupt").isFalse();
            try (Rows r = c.query("SELECT 1")) {
                assertThat(r.next()).isTrue();
                assertThat(r.get(0)).isEqualTo(1L);
            }
            assertThat(node.received).filteredOn(r -> r instanceof Request.Interrupt).hasSize(1);
        }
    }
}
