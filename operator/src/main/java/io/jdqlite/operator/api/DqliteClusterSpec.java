package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** Desired state of a DqliteCluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DqliteClusterSpec {
    public static final int MAX_REPLICAS = 99;

    @Required
    @Min(1)
    @Max(MAX_REPLICAS)
    @Default("3")
    @SpecReplicas
    @JsonPropertyDescription("Number of node pods (Raft members of any role).")
    public Integer replicas = 3;

    @Min(1)
    @Max(MAX_REPLICAS)
    @Default("3")
    @JsonPropertyDescription("Target number of voting members (capped at replicas); an odd number is advised.")
    public Integer voters = 3;

    @Min(0)
    @Max(MAX_REPLICAS)
    @Default("0")
    @JsonPropertyDescription("Target number of standby members (replicate without voting); the rest are spares.")
    public Integer standbys = 0;

    @Required
    @Pattern("^\\S+$")
    @JsonPropertyDescription("Container image running the jdqlite node.")
    public String image;

    @Required
    public StorageSpec storage;

    @JsonPropertyDescription("Resources of the node container.")
    public ResourceRequirements resources;

    public SchedulingSpec scheduling;

    public EngineSettings engine;

    public ClientServiceSpec clientService;

    public RecoverySpec recovery;
}
