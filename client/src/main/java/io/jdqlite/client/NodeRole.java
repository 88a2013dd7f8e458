package io.jdqlite.client;

/** dqlite's roles, with their wire codes. */
public enum NodeRole {
    VOTER, STANDBY, SPARE;

    static NodeRole fromCode(long code) {
        return code >= 0 && code < values().length ? values()[(int) code] : SPARE;
    }
}
