package io.jdqlite.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One Raft member as the operator last saw it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MemberStatus {
    public String pod;
    public Long id;
    public String address;
    public MemberRole role;
    public Boolean healthy;
    public Long appliedIndex;
    /** RFC 3339 time since which the member has been unhealthy; drives replacement. */
    public String unhealthySince;
}
