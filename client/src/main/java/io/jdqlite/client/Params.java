package io.jdqlite.client;

import io.jdqlite.wire.Value;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Java parameters to wire values. */
final class Params {
    private Params() {
    }

    static List<Value> of(Object[] params) throws DqliteException {
        if (params == null) {
            return List.of();
        }
        List<Value> out = new ArrayList<>(params.length);
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) {
                out.add(Value.text(t.toString()));
            } else if (p instanceof OffsetDateTime t) {
                out.add(Value.text(t.toString()));
            } else {
                try {
                    out.add(Value.of(p));
                } catch (IllegalArgumentException e) {
                    throw DqliteException.misuse("parameter " + (i + 1) + ": " + e.getMessage()
                            + " (use Long, Double, String, byte[], Boolean, Instant or null)");
                }
            }
        }
        return out;
    }
}
