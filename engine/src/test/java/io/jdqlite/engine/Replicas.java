package io.jdqlite.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers that look at what each replica holds. */
final class Replicas {
    private Replicas() {
    }

    /** The committed image of {@code db} on replica {@code i}, copied to a file. */
    static Path image(TestCluster c, int i, String db) throws IOException {
        Path out = c.root.resolve("image-" + i + "-" + System.nanoTime() + ".sqlite");
        c.engines[i].node().committedImage(db, out);
        return out;
    }

    /** Asserts every running replica holds byte-identical, intact copies of {@code db}. */
    static void assertIdentical(TestCluster c, String db) throws Exception {
        byte[] reference = null;
        for (int i = 0; i < c.engines.length; i++) {
            if (c.engines[i] == null) {
                continue;
            }
            Path img = image(c, i, db);
            assertThat(integrityCheck(img)).as("integrity of replica %d", i + 1).isEqualTo("ok");
            byte[] bytes = Files.readAllBytes(img);
            if (reference == null) {
                reference = bytes;
            } else {
                assertThat(bytes).as("replica %d equals replica 1", i + 1).isEqualTo(reference);
            }
        }
    }

    static String integrityCheck(Path file) throws SQLException {
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            return rs.next() ? rs.getString(1) : "no result";
        }
    }

    /** All rows of a query run directly on a replica's image file. */
    static List<List<Object>> rows(Path file, String sql) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int k = 1; k <= n; k++) {
                    row.add(rs.getObject(k));
                }
                out.add(row);
            }
        }
        return out;
    }
}
