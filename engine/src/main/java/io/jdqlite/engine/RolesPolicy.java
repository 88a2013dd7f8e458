package io.jdqlite.engine;

import java.time.Duration;

/**
 * Targets of automatic role management (go-dqlite's app roles): the leader keeps {@code voters} voters
 * and {@code standbys} standbys among the members it can reach, promoting spares and standbys and
 * demoting members that stopped answering for {@code offlineAfter}.
 *
 * @param enabled false: roles change only through explicit ASSIGN (for example by the Kubernetes operator)
 */
public record RolesPolicy(boolean enabled, int voters, int standbys, Duration offlineAfter) {
    /** Roles are left to explicit requests. */
    public static final RolesPolicy MANUAL = new RolesPolicy(false, 3, 3, Duration.ofSeconds(10));

    public RolesPolicy {
        if (voters < 1 || voters % 2 == 0) {
            throw new IllegalArgumentException("the voter target must be a positive odd number, got " + voters);
        }
        if (standbys < 0) {
            throw new IllegalArgumentException("the standby target must be >= 0, got " + standbys);
        }
        if (offlineAfter == null || offlineAfter.isNegative() || offlineAfter.isZero()) {
            throw new IllegalArgumentException("offlineAfter must be positive");
        }
    }

    public static RolesPolicy automatic(int voters, int standbys) {
        return new RolesPolicy(true, voters, standbys, Duration.ofSeconds(10));
    }
}
