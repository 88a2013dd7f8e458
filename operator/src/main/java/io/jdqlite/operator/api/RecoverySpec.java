package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Automatic replacement of failed members. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecoverySpec {
    @Pattern(EngineSettings.DURATION)
    @Size(max = EngineSettings.DURATION_MAX_LENGTH)
    // shorter, a slow restart or a network blip gets a member's volume wiped
    @ValidationRule(value = "duration(self) >= duration('1m')", message = "unhealthyTimeout must be at least 1m")
    @Default("5m")
    @JsonPropertyDescription("A member unhealthy this long is removed and its pod and volume recreated as a new member.")
    public String unhealthyTimeout = "5m";
}
