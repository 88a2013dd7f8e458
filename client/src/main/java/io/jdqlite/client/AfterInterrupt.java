package io.jdqlite.client;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Response;

/**
 * The answers that follow an INTERRUPT, read as go-dqlite reads them: everything up to the first EMPTY belongs
 * to the interrupted request. A node answers a statement it stopped with EMPTY in place of (more) rows; one
 * that had ended first (its last ROWS page, an exec's RESULT) is followed by the EMPTY answering the
 * INTERRUPT itself. After a FAILURE nothing says whether an EMPTY follows (dqlite 1.16+ sends none when the
 * failure is the stop, older dqlite and jdqlite send one), so the connection can no longer be trusted.
 */
final class AfterInterrupt {
    private Response.Result result;
    /** The request's own last answer came: only the EMPTY may follow. */
    private boolean ended;
    /** A FAILURE, or an answer that does not fit: what follows on the connection is unknown. */
    private DqliteException failure;

    /** Takes the next answer; true while more are to come. */
    boolean accept(Response r) {
        if (r instanceof Response.Empty) {
            return false;
        }
        if (!ended && r instanceof Response.Failure f) {
            failure = DqliteException.server(f.code(), f.message());
            return false;
        }
        if (!ended && r instanceof Response.Result res) {
            result = res;
            ended = true;
            return true;
        }
        if (!ended && r instanceof Response.Rows rows) {
            ended = rows.done(); // rows nobody wants any more
            return true;
        }
        failure = DqliteException.connection("unexpected " + r.type() + " answering an interrupted statement", false, null);
        return false;
    }

    boolean connectionUsable() {
        return failure == null;
    }

    /** The RESULT of an exec that completed before the interrupt took effect, or null. */
    Response.Result result() {
        return result;
    }

    /**
     * What the statement's user hears when no result came: the statement's own failure, or that it was
     * interrupted (a write then may or may not have been applied: a node may answer EMPTY for it either way).
     */
    DqliteException error(boolean write) {
        if (failure != null && (failure.getErrorCode() & 0xff) != ErrorCodes.SQLITE_INTERRUPT) {
            return failure;
        }
        return DqliteException.interrupted(write, null, failure);
    }
}
