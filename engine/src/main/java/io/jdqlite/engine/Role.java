package io.jdqlite.engine;

/** dqlite's member roles, with dqlite's wire codes. */
public enum Role {
    /** Replicates and votes. */
    VOTER(0),
    /** Replicates but does not vote (a Ratis listener). */
    STANDBY(1),
    /** Known to the cluster but neither replicates nor votes. */
    SPARE(2);

    private final int code;

    Role(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Role fromCode(long code) {
        for (Role r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role code " + code);
    }
}
