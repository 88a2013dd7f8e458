package io.jdqlite.jdbc;

import io.jdqlite.node.gateway.InProcessCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

/**
 * DatabaseMetaData against a 3-node cluster in this JVM (ports 24400-24499): the JDBC-specified columns, with
 * the values sqlite-jdbc gives for the same schema unless noted. {@link CDqliteJdbcMetaDataTest} runs the same
 * tests against the C dqlite.
 */
class JdbcMetaDataTest {
    @TempDir
    static Path tmp;
    static InProcessCluster cluster;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        cluster = new InProcessCluster(tmp, 3, 24400);
        url = "jdbc:dqlite://" + String.join(",", cluster.addresses()) + "/meta?requestTimeout=20s";
        createSchema(url);
    }

    /** The database every test reads the metadata of. */
    String url() {
        return url;
    }

    static void createSchema(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, code varchar(10) NOT NULL UNIQUE, "
                    + "price DECIMAL(10,2) DEFAULT 0, made DATETIME, active BOOLEAN, note, label TEXT DEFAULT 'x', "
                    + "twice INTEGER GENERATED ALWAYS AS (id * 2), weight REAL)");
            s.executeUpdate("CREATE TABLE pair (a INTEGER, b TEXT NOT NULL, PRIMARY KEY (b, a))");
            s.executeUpdate("CREATE TABLE child (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES Item ON DELETE CASCADE, "
                    + "pa INTEGER, pb TEXT, CONSTRAINT child_pair FOREIGN KEY (pb, pa) REFERENCES pair (b, a) ON UPDATE SET NULL)");
            s.executeUpdate("CREATE INDEX child_pa ON child (pa, pb DESC)");
            s.executeUpdate("CREATE UNIQUE INDEX child_u ON child (pb)");
            s.executeUpdate("CREATE TABLE Mixed_Case (a_b, aXb)");
            s.executeUpdate("CREATE TABLE MixedXCase (x)");
            s.executeUpdate("CREATE TABLE keyless (x)");
            s.executeUpdate("CREATE VIEW item_view AS SELECT id, code FROM item");
        }
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Each row as column name to value (getObject), in order, so a test compares whole rows. */
    private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (rs) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnName(i), rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static List<String> columnNames(ResultSet rs) throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            names.add(rs.getMetaData().getColumnName(i));
        }
        return names;
    }

    private interface MetaDataCall {
        Object call(DatabaseMetaData md) throws SQLException;
    }

    private Object withMetaData(MetaDataCall call) throws SQLException {
        try (Connection c = DriverManager.getConnection(url())) {
            return call.call(c.getMetaData());
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> query(MetaDataCall call) throws SQLException {
        return (List<Map<String, Object>>) withMetaData(md -> rows((ResultSet) call.call(md)));
    }

    @Test
    void columnsSplitDeclaredTypesAndReportDefaultsNullabilityAndGeneration() throws Exception {
        List<Map<String, Object>> cols = query(md -> md.getColumns(null, null, "item", null));
        assertThat(cols).extracting(r -> r.get("COLUMN_NAME"), r -> r.get("DATA_TYPE"), r -> r.get("TYPE_NAME"),
                r -> r.get("COLUMN_SIZE"), r -> r.get("DECIMAL_DIGITS"), r -> r.get("ORDINAL_POSITION")).containsExactly(
                tuple("id", Types.INTEGER, "INTEGER", 2_000_000_000, 0, 1),
                tuple("code", Types.VARCHAR, "VARCHAR", 10, null, 2),
                tuple("price", Types.FLOAT, "DECIMAL", 10, 2, 3), // sqlite-jdbc: COLUMN_SIZE 12
                tuple("made", Types.VARCHAR, "DATETIME", 2_000_000_000, null, 4),
                tuple("active", Types.INTEGER, "BOOLEAN", 2_000_000_000, 0, 5),
                tuple("note", Types.VARCHAR, "", 2_000_000_000, null, 6),
                tuple("label", Types.VARCHAR, "TEXT", 2_000_000_000, null, 7),
                tuple("twice", Types.INTEGER, "INTEGER", 2_000_000_000, 0, 8),
                tuple("weight", Types.FLOAT, "REAL", 2_000_000_000, 10, 9));
        assertThat(cols).extracting(r -> r.get("NULLABLE"), r -> r.get("IS_NULLABLE"), r -> r.get("COLUMN_DEF"),
                r -> r.get("IS_AUTOINCREMENT"), r -> r.get("IS_GENERATEDCOLUMN")).containsExactly(
                tuple(DatabaseMetaData.columnNullable, "YES", null, "YES", "NO"),
                tuple(DatabaseMetaData.columnNoNulls, "NO", null, "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", "0", "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", null, "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", null, "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", null, "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", "'x'", "NO", "NO"),
                tuple(DatabaseMetaData.columnNullable, "YES", null, "NO", "YES"),
                tuple(DatabaseMetaData.columnNullable, "YES", null, "NO", "NO"));
        assertThat(cols.get(0)).containsEntry("TABLE_NAME", "item").containsEntry("NUM_PREC_RADIX", 10);
        assertThat(cols.get(0).keySet()).hasSize(24).startsWith("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME")
                .endsWith("IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN");
        // a plain INTEGER PRIMARY KEY (no AUTOINCREMENT) is not reported as autoincrement, as sqlite-jdbc
        assertThat(query(md -> md.getColumns(null, null, "child", "id"))).singleElement()
                .satisfies(r -> assertThat(r).containsEntry("IS_AUTOINCREMENT", "NO"));
        assertThat(query(md -> md.getColumns(null, null, "item_view", null))).extracting(r -> r.get("COLUMN_NAME"))
                .containsExactly("id", "code");
    }

    @Test
    void patternsTakeBackslashAsEscapeAndMatchNamesIgnoringCase() throws Exception {
        assertThat(query(md -> md.getTables(null, null, "Mixed\\_Case", null))).extracting(r -> r.get("TABLE_NAME"))
                .containsExactly("Mixed_Case");
        assertThat(query(md -> md.getTables(null, null, "mixed_case", new String[] {"TABLE"})))
                .extracting(r -> r.get("TABLE_NAME")).containsExactly("MixedXCase", "Mixed_Case");
        assertThat(query(md -> md.getTables(null, null, "item%", new String[] {"VIEW"}))).extracting(r -> r.get("TABLE_NAME"))
                .containsExactly("item_view");
        assertThat(query(md -> md.getColumns(null, null, "Mixed\\_Case", "a\\_b"))).extracting(r -> r.get("COLUMN_NAME"))
                .containsExactly("a_b");
        assertThat(query(md -> md.getColumns(null, null, "Mixed\\_Case", "a_b"))).extracting(r -> r.get("COLUMN_NAME"))
                .containsExactly("a_b", "aXb");
    }

    @Test
    void primaryKeysAndBestRowIdentifiersFollowTheKeyOrElseTheRowid() throws Exception {
        assertThat(query(md -> md.getPrimaryKeys(null, null, "pair"))).extracting(r -> r.get("COLUMN_NAME"), r -> r.get("KEY_SEQ"))
                .containsExactly(tuple("b", (short) 1), tuple("a", (short) 2));
        assertThat(query(md -> md.getBestRowIdentifier(null, null, "pair", DatabaseMetaData.bestRowSession, false)))
                .extracting(r -> r.get("COLUMN_NAME"), r -> r.get("DATA_TYPE"), r -> r.get("PSEUDO_COLUMN")).containsExactly(
                        tuple("b", Types.VARCHAR, (short) DatabaseMetaData.bestRowNotPseudo),
                        tuple("a", Types.INTEGER, (short) DatabaseMetaData.bestRowNotPseudo));
        // sqlite-jdbc returns no rows here; the rowid identifies a row until a VACUUM renumbers it
        assertThat(query(md -> md.getBestRowIdentifier(null, null, "keyless", DatabaseMetaData.bestRowTransaction, true)))
                .extracting(r -> r.get("COLUMN_NAME"), r -> r.get("SCOPE"), r -> r.get("PSEUDO_COLUMN"))
                .containsExactly(tuple("rowid", (short) DatabaseMetaData.bestRowTransaction, (short) DatabaseMetaData.bestRowPseudo));
        assertThat(query(md -> md.getBestRowIdentifier(null, null, "keyless", DatabaseMetaData.bestRowSession, true))).isEmpty();
        assertThat(query(md -> md.getBestRowIdentifier(null, null, "item_view", DatabaseMetaData.bestRowTemporary, true))).isEmpty();
    }

    @Test
    void indexInfoListsEachIndexedColumnUniqueIndexesFirst() throws Exception {
        List<Map<String, Object>> all = query(md -> md.getIndexInfo(null, null, "child", false, true));
        assertThat(all).extracting(r -> r.get("INDEX_NAME"), r -> r.get("NON_UNIQUE"), r -> r.get("ORDINAL_POSITION"),
                r -> r.get("COLUMN_NAME"), r -> r.get("ASC_OR_DESC")).containsExactly(
                tuple("child_u", false, (short) 1, "pb", "A"),
                tuple("child_pa", true, (short) 1, "pa", "A"),
                tuple("child_pa", true, (short) 2, "pb", "D"));
        assertThat(all.get(0)).containsEntry("TABLE_NAME", "child").containsEntry("TYPE", (short) DatabaseMetaData.tableIndexOther);
        assertThat(all.get(0).keySet()).containsExactly("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE",
                "INDEX_QUALIFIER", "INDEX_NAME", "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY",
                "PAGES", "FILTER_CONDITION");
        assertThat(query(md -> md.getIndexInfo(null, null, "child", true, true))).extracting(r -> r.get("INDEX_NAME"))
                .containsExactly("child_u");
        // the composite primary key's index, and the UNIQUE constraint's; the INTEGER PRIMARY KEY has none (rowid)
        assertThat(query(md -> md.getIndexInfo(null, null, "PAIR", true, true))).extracting(r -> r.get("COLUMN_NAME"))
                .containsExactly("b", "a");
        assertThat(query(md -> md.getIndexInfo(null, null, "item", false, true))).extracting(r -> r.get("COLUMN_NAME"))
                .containsExactly("code");
    }

    @Test
    void foreignKeysAreListedFromBothEndsAndBetweenTwoTables() throws Exception {
        List<Map<String, Object>> imported = query(md -> md.getImportedKeys(null, null, "child"));
        assertThat(imported).extracting(r -> r.get("PKTABLE_NAME"), r -> r.get("PKCOLUMN_NAME"), r -> r.get("FKTABLE_NAME"),
                r -> r.get("FKCOLUMN_NAME"), r -> r.get("KEY_SEQ"), r -> r.get("UPDATE_RULE"), r -> r.get("DELETE_RULE"),
                r -> r.get("FK_NAME")).containsExactly(
                // REFERENCES Item: no column (so item's primary key), and the name as the catalog spells it
                tuple("item", "id", "child", "item_id", (short) 1, (short) DatabaseMetaData.importedKeyNoAction,
                        (short) DatabaseMetaData.importedKeyCascade, ""),
                tuple("pair", "b", "child", "pb", (short) 1, (short) DatabaseMetaData.importedKeySetNull,
                        (short) DatabaseMetaData.importedKeyNoAction, "child_pair"),
                tuple("pair", "a", "child", "pa", (short) 2, (short) DatabaseMetaData.importedKeySetNull,
                        (short) DatabaseMetaData.importedKeyNoAction, "child_pair"));
        assertThat(imported.get(0).keySet()).containsExactly("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME",
                "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE",
                "FK_NAME", "PK_NAME", "DEFERRABILITY");
        assertThat(imported.get(0)).contains(entry("DEFERRABILITY", (short) DatabaseMetaData.importedKeyNotDeferrable));

        assertThat(query(md -> md.getExportedKeys(null, null, "pair"))).extracting(r -> r.get("FKTABLE_NAME"),
                r -> r.get("FKCOLUMN_NAME"), r -> r.get("PKCOLUMN_NAME")).containsExactly(tuple("child", "pb", "b"), tuple("child", "pa", "a"));
        assertThat(query(md -> md.getExportedKeys(null, null, "item"))).extracting(r -> r.get("FKCOLUMN_NAME"), r -> r.get("PKCOLUMN_NAME"))
                .containsExactly(tuple("item_id", "id"));
        assertThat(query(md -> md.getExportedKeys(null, null, "child"))).isEmpty();
        // sqlite-jdbc returns no rows for any cross reference
        assertThat(query(md -> md.getCrossReference(null, null, "pair", null, null, "child"))).extracting(r -> r.get("FKCOLUMN_NAME"))
                .containsExactly("pb", "pa");
        assertThat(query(md -> md.getCrossReference(null, null, "item", null, null, "pair"))).isEmpty();
    }

    @Test
    void typeInfoListsSqliteStorageClassesWithTheSpecColumns() throws Exception {
        List<Map<String, Object>> types = query(DatabaseMetaData::getTypeInfo);
        assertThat(types).extracting(r -> r.get("TYPE_NAME"), r -> r.get("DATA_TYPE")).containsExactly(
                tuple("NULL", Types.NULL), tuple("INTEGER", Types.INTEGER), tuple("REAL", Types.REAL),
                tuple("TEXT", Types.VARCHAR), tuple("BLOB", Types.BLOB));
        assertThat(types.get(0).keySet()).containsExactly("TYPE_NAME", "DATA_TYPE", "PRECISION", "LITERAL_PREFIX",
                "LITERAL_SUFFIX", "CREATE_PARAMS", "NULLABLE", "CASE_SENSITIVE", "SEARCHABLE", "UNSIGNED_ATTRIBUTE",
                "FIXED_PREC_SCALE", "AUTO_INCREMENT", "LOCAL_TYPE_NAME", "MINIMUM_SCALE", "MAXIMUM_SCALE", "SQL_DATA_TYPE",
                "SQL_DATETIME_SUB", "NUM_PREC_RADIX");
        assertThat(types.get(1)).contains(entry("AUTO_INCREMENT", true), entry("NULLABLE", (short) DatabaseMetaData.typeNullable),
                entry("SEARCHABLE", (short) DatabaseMetaData.typeSearchable));
        assertThat(types.get(3)).contains(entry("LITERAL_PREFIX", "'"), entry("CASE_SENSITIVE", true));
    }

    @Test
    void whatSqliteDoesNotHaveIsAnEmptyResultWithTheSpecColumns() throws Exception {
        Map<MetaDataCall, Integer> columnCounts = Map.of(
                md -> md.getProcedures(null, null, null), 9,
                md -> md.getProcedureColumns(null, null, null, null), 20,
                md -> md.getUDTs(null, null, null, null), 7,
                md -> md.getVersionColumns(null, null, "item"), 8,
                md -> md.getColumnPrivileges(null, null, "item", null), 8,
                md -> md.getTablePrivileges(null, null, null), 7,
                md -> md.getSuperTables(null, null, null), 4,
                md -> md.getSuperTypes(null, null, null), 6,
                md -> md.getAttributes(null, null, null, null), 21);
        for (Map.Entry<MetaDataCall, Integer> e : columnCounts.entrySet()) {
            withMetaData(md -> {
                try (ResultSet rs = (ResultSet) e.getKey().call(md)) {
                    assertThat(columnNames(rs)).hasSize(e.getValue());
                    assertThat(rs.next()).isFalse();
                }
                return null;
            });
        }
        assertThat(withMetaData(md -> columnNames(md.getProcedures(null, null, null))))
                .asList().startsWith("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME");
    }

    @Test
    void versionAndCapabilitiesMatchWhatTheServerRuns() throws Exception {
        try (Connection c = DriverManager.getConnection(url()); Statement s = c.createStatement()) {
            DatabaseMetaData md = c.getMetaData();
            String version;
            try (ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
                rs.next();
                version = rs.getString(1);
            }
            assertThat(md.getDatabaseMajorVersion() + "." + md.getDatabaseMinorVersion() + ".").isEqualTo(
                    version.substring(0, version.lastIndexOf('.') + 1));
            assertThat(md.getDatabaseMinorVersion()).isGreaterThanOrEqualTo(35);

            assertThat(md.supportsSubqueriesInComparisons()).isTrue();
            try (ResultSet rs = s.executeQuery("SELECT 1 WHERE 1 < (SELECT 2)")) {
                assertThat(rs.next()).isTrue();
            }
            assertThat(md.supportsSubqueriesInQuantifieds()).isFalse();
            assertThatThrownBy(() -> s.executeQuery("SELECT 1 WHERE 1 < ALL (SELECT 2)")).hasMessageContaining("syntax error");
            assertThat(md.supportsAlterTableWithDropColumn()).isTrue();
            s.executeUpdate("CREATE TABLE dropping (a, b)");
            s.executeUpdate("ALTER TABLE dropping DROP COLUMN b");
            assertThat(rows(md.getColumns(null, null, "dropping", null))).extracting(r -> r.get("COLUMN_NAME")).containsExactly("a");
        }
    }
}
