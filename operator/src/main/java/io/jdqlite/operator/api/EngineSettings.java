package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** Engine settings, passed to every node through the cluster's ConfigMap; a change rolls the pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EngineSettings {
    // no zero ("0s" makes nodes that cannot start); the length bound keeps values within a long
    static final String DURATION = "^[1-9][0-9]*(ms|s|m|h)$";
    static final int DURATION_MAX_LENGTH = 12;

    @Min(1)
    @Default("1000")
    @JsonPropertyDescription("WAL pages after which the leader checkpoints.")
    public Integer checkpointThreshold = 1000;

    @Min(1)
    @Default("8192")
    @JsonPropertyDescription("Raft entries between snapshots, at least (a snapshot also waits until the log since the last one holds half the size of the databases it would copy).")
    public Long snapshotThreshold = 8192L;

    @Min(1)
    @Default("1024")
    @JsonPropertyDescription("Client connections each node serves at once; one more is refused with an error naming this limit.")
    public Integer maxConnections = 1024;

    @Pattern(DURATION)
    @Size(max = DURATION_MAX_LENGTH)
    @Default("1s")
    @JsonPropertyDescription("Minimum Raft election timeout (the maximum is twice it), e.g. 1s.")
    public String electionTimeout = "1s";

    @Pattern(DURATION)
    @Size(max = DURATION_MAX_LENGTH)
    @Default("10s")
    @JsonPropertyDescription("How long a write waits for a quorum, e.g. 10s.")
    public String writeTimeout = "10s";
}
