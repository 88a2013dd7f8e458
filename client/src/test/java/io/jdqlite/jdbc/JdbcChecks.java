package io.jdqlite.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** JDBC checks that hold against jdqlite and the C dqlite alike. */
final class JdbcChecks {
    private JdbcChecks() {
    }

    /** Prepared and plain batches give their counts; an INSERT gives its rowid as the generated key. */
    static void batchesAndGeneratedKeys(Connection c) throws SQLException {
        c.createStatement().executeUpdate("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        try (PreparedStatement p = c.prepareStatement("INSERT INTO item (name) VALUES (?)", Statement.RETURN_GENERATED_KEYS)) {
            for (String n : List.of("a", "b", "c")) {
                p.setString(1, n);
                p.addBatch();
            }
            assertThat(p.executeBatch()).containsExactly(1, 1, 1);
            p.setString(1, "d");
            p.executeUpdate();
            try (ResultSet keys = p.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                assertThat(keys.getLong(1)).isEqualTo(4);
            }
        }
        Statement s = c.createStatement();
        s.addBatch("UPDATE item SET name = upper(name) WHERE id <= 2");
        s.addBatch("DELETE FROM item WHERE id = 4");
        assertThat(s.executeBatch()).containsExactly(2, 1);
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT name FROM item ORDER BY id")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        assertThat(names).containsExactly("A", "B", "c");
    }
}
