package io.jdqlite.operator.api;

/** Raft roles of a dqlite member. */
public enum MemberRole {
    VOTER, STANDBY, SPARE
}
