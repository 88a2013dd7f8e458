package io.jdqlite.operator.admin;

/** A node could not be reached or refused an admin request. */
public class ClusterAdminException extends RuntimeException {
    public ClusterAdminException(String message) {
        super(message);
    }

    public ClusterAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
