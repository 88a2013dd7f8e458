package io.jdqlite.jdbc;

import io.jdqlite.client.Rows;
import io.jdqlite.wire.ValueType;

import java.util.List;

/** Rows the driver made itself (metadata, generated keys), as a {@link Rows} for {@link JdbcResultSet}. */
final class ListRows implements Rows {
    private final List<String> columns;
    private final List<Object[]> rows;
    private int index = -1;

    ListRows(List<String> columns, List<Object[]> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public boolean next() {
        if (index < rows.size()) {
            index++;
        }
        return index < rows.size();
    }

    @Override
    public Object get(int column) {
        return rows.get(index)[column];
    }

    @Override
    public ValueType type(int column) {
        Object v = get(column);
        if (v == null) {
            return ValueType.NULL;
        } else if (v instanceof Boolean) {
            return ValueType.BOOLEAN;
        } else if (v instanceof Double || v instanceof Float) {
            return ValueType.FLOAT;
        } else if (v instanceof Number) {
            return ValueType.INTEGER;
        } else if (v instanceof byte[]) {
            return ValueType.BLOB;
        }
        return ValueType.TEXT;
    }

    @Override
    public void close() {
        index = rows.size();
    }
}
