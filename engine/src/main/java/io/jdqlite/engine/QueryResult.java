package io.jdqlite.engine;

import java.util.List;

/**
 * A query's rows. Each value is a {@code Long}, {@code Double}, {@code String}, {@code byte[]} or
 * {@code null}, i.e. SQLite's storage class of that value. {@code declaredTypes} holds each column's
 * declared type (null for expressions) so the wire layer can apply dqlite's UNIXTIME / ISO8601 /
 * BOOLEAN mapping.
 */
public record QueryResult(List<String> columns, List<String> declaredTypes, List<Object[]> rows) {
}
