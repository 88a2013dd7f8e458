package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;

/** Where member pods may run. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SchedulingSpec {
    public Affinity affinity;
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Replaces the default spread when given.")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @Default("true")
    @JsonPropertyDescription("Without explicit constraints, spread members across nodes (kubernetes.io/hostname, "
            + "ScheduleAnyway) so one node failure costs at most one member.")
    public Boolean spreadAcrossNodes = true;
}
