package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The Service clients connect to (dqlite wire protocol). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClientServiceSpec {
    @Default("ClusterIP")
    public ClientServiceType type = ClientServiceType.ClusterIP;

    @Min(1)
    @Max(65535)
    @Default("9001")
    public Integer port = 9001;
}
