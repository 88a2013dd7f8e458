package io.jdqlite.cli.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorCausesTest {

    @Test
    void oneCauseAtDifferentNodesCountsOnceAndTheMostFrequentComesFirst() {
        ErrorCauses causes = new ErrorCauses();
        causes.add("busy (code 5)");
        causes.add(ErrorCauses.of(new IllegalStateException("no answer from 127.0.0.1:9001")));
        causes.add(ErrorCauses.of(new IllegalStateException("no answer from 127.0.0.2:9002")));
        causes.add(ErrorCauses.of(new IllegalStateException("no answer from [::1]:9003")));
        causes.add(ErrorCauses.of(new IllegalStateException("no answer from node-1.example.svc:9001")));

        assertThat(causes.byCount()).containsExactly(
                java.util.Map.entry("client failure: java.lang.IllegalStateException: no answer from <node>", 4L),
                java.util.Map.entry("busy (code 5)", 1L));
    }

    @Test
    void pastTheLimitNewCausesCountAsOtherSoMemoryStaysBounded() {
        ErrorCauses a = new ErrorCauses();
        for (int i = 0; i < 1000; i++) {
            a.add("cause " + i);
        }
        a.add("cause 3");
        assertThat(a.byCount()).hasSize(ErrorCauses.MAX_CAUSES + 1)
                .containsEntry("cause 3", 2L)
                .containsEntry(ErrorCauses.OTHER, 1000L - ErrorCauses.MAX_CAUSES);

        ErrorCauses merged = new ErrorCauses();
        merged.add("only here");
        merged.addAll(a);
        assertThat(merged.byCount()).hasSize(ErrorCauses.MAX_CAUSES + 1).containsEntry("only here", 1L)
                .containsEntry(ErrorCauses.OTHER, 1000L - ErrorCauses.MAX_CAUSES + 1);
        assertThat(merged.byCount().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1002);
    }

    @Test
    void aLongMessageIsCut() {
        ErrorCauses causes = new ErrorCauses();
        causes.add(ErrorCauses.of(new RuntimeException("x".repeat(10_000))));
        assertThat(causes.byCount().keySet()).singleElement()
                .satisfies(cause -> assertThat(cause).hasSizeLessThan(300).endsWith("..."));
    }
}
