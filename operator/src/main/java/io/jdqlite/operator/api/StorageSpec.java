package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The persistent volume of each member (Raft log, snapshots, SQLite files). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
    @Required
    @Pattern("^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$")
    @JsonPropertyDescription("Volume size, e.g. 1Gi.")
    public String size;

    @JsonPropertyDescription("Storage class; the cluster default when absent.")
    public String storageClass;
}
