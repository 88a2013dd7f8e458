package io.jdqlite.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tools ask of a database: product, capabilities, and the schema (tables, columns, keys, indexes) read
 * from SQLite's catalog and pragma table-valued functions on the connection's database. Values follow
 * sqlite-jdbc, the driver tools know SQLite through, except where it contradicts the JDBC javadoc.
 */
final class JdbcDatabaseMetaData extends JdbcProxy {
    /** Column size sqlite-jdbc reports when a declared type gives none: SQLite does not limit it. */
    private static final int UNSIZED = 2_000_000_000;

    private static final List<String> ROW_ID_COLUMNS =
            names("SCOPE COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE BUFFER_LENGTH DECIMAL_DIGITS PSEUDO_COLUMN");

    private static final List<String> TYPE_INFO_COLUMNS = names("TYPE_NAME DATA_TYPE PRECISION LITERAL_PREFIX LITERAL_SUFFIX "
            + "CREATE_PARAMS NULLABLE CASE_SENSITIVE SEARCHABLE UNSIGNED_ATTRIBUTE FIXED_PREC_SCALE AUTO_INCREMENT "
            + "LOCAL_TYPE_NAME MINIMUM_SCALE MAXIMUM_SCALE SQL_DATA_TYPE SQL_DATETIME_SUB NUM_PREC_RADIX");

    /** SQLite's storage classes, ordered by DATA_TYPE as JDBC asks; the same five sqlite-jdbc lists. */
    private static final List<Object[]> TYPE_INFO = List.of(
            typeInfo("NULL", Types.NULL, 0, null, null, false, false),
            typeInfo("INTEGER", Types.INTEGER, 19, null, null, false, true),
            typeInfo("REAL", Types.REAL, 15, null, null, false, false),
            typeInfo("TEXT", Types.VARCHAR, UNSIZED, "'", "'", true, false),
            typeInfo("BLOB", Types.BLOB, UNSIZED, "X'", "'", false, false));

    /** A name in CREATE TABLE text: bare, or quoted with "", `` or []. */
    private static final String IDENTIFIER = "(\"(?:[^\"]|\"\")+\"|`[^`]+`|\\[[^\\]]+\\]|[\\w$]+)";
    /** A table constraint {@code CONSTRAINT name FOREIGN KEY (columns)}: group 1 the name, group 2 the columns. */
    private static final Pattern NAMED_FOREIGN_KEY = Pattern.compile(
            "CONSTRAINT\\s+" + IDENTIFIER + "\\s+FOREIGN\\s+KEY\\s*\\(([^)]*)\\)", Pattern.CASE_INSENSITIVE);

    private static Object[] typeInfo(String name, int type, int precision, String prefix, String suffix,
            boolean caseSensitive, boolean autoIncrement) {
        return new Object[] {name, type, precision, prefix, suffix, null, (short) DatabaseMetaData.typeNullable,
                caseSensitive, (short) DatabaseMetaData.typeSearchable, false, false, autoIncrement, null,
                (short) 0, (short) 0, null, null, 10};
    }

    private final Connection connectionProxy;
    private final JdbcConnection connection;

    private JdbcDatabaseMetaData(Connection connectionProxy, JdbcConnection connection) {
        super(DatabaseMetaData.class);
        this.connectionProxy = connectionProxy;
        this.connection = connection;
    }

    static DatabaseMetaData of(Connection proxy, JdbcConnection connection) {
        return new JdbcDatabaseMetaData(proxy, connection).proxy();
    }

    private List<Object[]> rows(String sql, Object... params) throws SQLException {
        return connection.query(sql, params, new ArrayList<>());
    }

    /** Turns one row of a catalog query into one row of a metadata result. */
    @FunctionalInterface
    private interface RowMapper {
        Object[] map(Object[] row) throws SQLException;
    }

    /** Runs a catalog query and returns its rows, mapped, as a metadata result set. */
    private ResultSet result(List<String> columns, RowMapper mapper, String sql, Object... params) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows(sql, params)) {
            out.add(mapper.map(r));
        }
        return JdbcResultSet.of(null, columns, out);
    }

    /** The JDBC-specified columns of a result that has no rows in SQLite (no procedures, privileges, UDTs...). */
    private static ResultSet empty(List<String> columns) {
        return JdbcResultSet.of(null, columns, List.of());
    }

    /** A JDBC result's column names, written as the javadoc lists them. */
    private static List<String> names(String spaceSeparated) {
        return List.of(spaceSeparated.split(" "));
    }

    /** A JDBC name pattern, matched with LIKE and a backslash as escape (getSearchStringEscape); null matches all. */
    private static String pattern(Object p) {
        return p == null ? "%" : (String) p;
    }

    private int[] sqliteVersion() throws SQLException {
        String[] parts = ((String) rows("SELECT sqlite_version()").get(0)[0]).split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        switch (name) {
            case "getDatabaseProductName": return "dqlite";
            case "getDatabaseProductVersion": {
                List<Object[]> v = rows("SELECT sqlite_version()");
                return "SQLite " + v.get(0)[0];
            }
            case "getDatabaseMajorVersion": return sqliteVersion()[0];
            case "getDatabaseMinorVersion": return sqliteVersion()[1];
            case "getDriverName": return "jdqlite JDBC";
            case "getDriverVersion": return "0.1.0";
            case "getDriverMajorVersion": return 0;
            case "getDriverMinorVersion": return 1;
            case "getJDBCMajorVersion": return 4;
            case "getJDBCMinorVersion": return 2;
            case "getURL": return JdbcUrl.PREFIX + String.join(",", connection.url().addresses()) + "/" + connection.url().database();
            case "getUserName": return "";
            case "getConnection": return connectionProxy;
            case "getIdentifierQuoteString": return "\"";
            case "getSearchStringEscape": return "\\";
            case "getExtraNameCharacters", "getSQLKeywords", "getNumericFunctions", "getStringFunctions",
                    "getSystemFunctions", "getTimeDateFunctions": return "";
            case "getCatalogSeparator": return ".";
            case "getCatalogTerm": return "catalog";
            case "getSchemaTerm": return "schema";
            case "getProcedureTerm": return "procedure";
            case "getDefaultTransactionIsolation": return Connection.TRANSACTION_SERIALIZABLE;
            case "supportsTransactionIsolationLevel": return (Integer) a[0] == Connection.TRANSACTION_SERIALIZABLE;
            case "getResultSetHoldability": return ResultSet.CLOSE_CURSORS_AT_COMMIT;
            case "supportsResultSetHoldability": return (Integer) a[0] == ResultSet.CLOSE_CURSORS_AT_COMMIT;
            case "supportsResultSetType": return (Integer) a[0] == ResultSet.TYPE_FORWARD_ONLY;
            case "supportsResultSetConcurrency": return (Integer) a[0] == ResultSet.TYPE_FORWARD_ONLY && (Integer) a[1] == ResultSet.CONCUR_READ_ONLY;
            case "getRowIdLifetime": return RowIdLifetime.ROWID_UNSUPPORTED;
            case "supportsTransactions", "supportsBatchUpdates", "supportsGetGeneratedKeys", "supportsMixedCaseQuotedIdentifiers",
                    "storesMixedCaseIdentifiers", "supportsOuterJoins", "supportsFullOuterJoins", "supportsLimitedOuterJoins",
                    "supportsUnion", "supportsUnionAll", "supportsANSI92EntryLevelSQL", "supportsMinimumSQLGrammar",
                    "supportsDataDefinitionAndDataManipulationTransactions", "allTablesAreSelectable", "nullsAreSortedLow",
                    "isCatalogAtStart", "supportsColumnAliasing", "supportsGroupBy", "supportsLikeEscapeClause",
                    "supportsSubqueriesInExists", "supportsSubqueriesInIns", "supportsCorrelatedSubqueries",
                    "supportsExpressionsInOrderBy", "supportsOrderByUnrelated", "supportsGroupByUnrelated",
                    "supportsNonNullableColumns", "supportsTableCorrelationNames", "supportsMultipleTransactions",
                    "storesMixedCaseQuotedIdentifiers", "nullPlusNonNullIsNull", "supportsAlterTableWithAddColumn",
                    "supportsCoreSQLGrammar", "supportsIntegrityEnhancementFacility",
                    "supportsAlterTableWithDropColumn", // ALTER TABLE ... DROP COLUMN since SQLite 3.35
                    "supportsSubqueriesInComparisons": // x < (SELECT ...); sqlite-jdbc says false, SQLite runs it
                return true;
            case "isReadOnly": return false;
            case "supportsSavepoints", "supportsStoredProcedures", "supportsMultipleResultSets", "supportsNamedParameters",
                    "supportsSchemasInTableDefinitions", "supportsSchemasInDataManipulation", "supportsSchemasInIndexDefinitions",
                    "supportsCatalogsInTableDefinitions", "supportsCatalogsInDataManipulation", "supportsCatalogsInIndexDefinitions",
                    "supportsSchemasInProcedureCalls", "supportsCatalogsInProcedureCalls", "supportsPositionedDelete",
                    "supportsPositionedUpdate", "supportsSelectForUpdate", "supportsOpenCursorsAcrossCommit",
                    "supportsOpenCursorsAcrossRollback", "supportsOpenStatementsAcrossCommit", "supportsOpenStatementsAcrossRollback",
                    "usesLocalFiles", "usesLocalFilePerTable", "allProceduresAreCallable", "storesLowerCaseIdentifiers",
                    "storesUpperCaseIdentifiers", "supportsMixedCaseIdentifiers", "storesLowerCaseQuotedIdentifiers",
                    "storesUpperCaseQuotedIdentifiers", "nullsAreSortedHigh", "nullsAreSortedAtStart", "nullsAreSortedAtEnd",
                    "dataDefinitionCausesTransactionCommit", "dataDefinitionIgnoredInTransactions", "supportsMultipleOpenResults",
                    "supportsStatementPooling", "locatorsUpdateCopy", "supportsConvert", "supportsExtendedSQLGrammar",
                    "supportsANSI92IntermediateSQL", "supportsANSI92FullSQL", "supportsDifferentTableCorrelationNames",
                    "supportsStoredFunctionsUsingCallSyntax", "autoCommitFailureClosesAllResultSets", "generatedKeyAlwaysReturned",
                    "supportsRefCursors", "supportsSharding",
                    "supportsSubqueriesInQuantifieds", // SQLite has no ANY/SOME/ALL
                    "doesMaxRowSizeIncludeBlobs":
                return false;
            case "getMaxConnections", "getMaxStatements", "getMaxStatementLength", "getMaxRowSize", "getMaxColumnsInTable",
                    "getMaxColumnNameLength", "getMaxTableNameLength", "getMaxCursorNameLength", "getMaxSchemaNameLength",
                    "getMaxCatalogNameLength", "getMaxProcedureNameLength", "getMaxUserNameLength", "getMaxColumnsInSelect",
                    "getMaxColumnsInIndex", "getMaxColumnsInGroupBy", "getMaxColumnsInOrderBy", "getMaxIndexLength",
                    "getMaxTablesInSelect", "getMaxBinaryLiteralLength", "getMaxCharLiteralLength":
                return 0;
            case "getCatalogs": return JdbcResultSet.of(null, List.of("TABLE_CAT"), List.of());
            case "getSchemas": return JdbcResultSet.of(null, List.of("TABLE_SCHEM", "TABLE_CATALOG"), List.of());
            case "getTableTypes": return JdbcResultSet.of(null, List.of("TABLE_TYPE"), List.of(new Object[] {"TABLE"}, new Object[] {"VIEW"}));
            case "getTables": return tables(a);
            case "getColumns": return columns(a);
            case "getPrimaryKeys": return primaryKeys(a);
            case "getIndexInfo": return indexInfo((String) a[2], (Boolean) a[3]);
            case "getImportedKeys": return foreignKeys(null, (String) a[2]);
            case "getExportedKeys": return foreignKeys((String) a[2], null);
            case "getCrossReference": return foreignKeys((String) a[2], (String) a[5]);
            case "getBestRowIdentifier": return bestRowIdentifier((String) a[2], (Integer) a[3]);
            case "getTypeInfo": return JdbcResultSet.of(null, TYPE_INFO_COLUMNS, TYPE_INFO);
            // SQLite has none of these: the JDBC columns, no rows (as sqlite-jdbc).
            case "getProcedures": return empty(names("PROCEDURE_CAT PROCEDURE_SCHEM PROCEDURE_NAME RESERVED1 RESERVED2 "
                    + "RESERVED3 REMARKS PROCEDURE_TYPE SPECIFIC_NAME"));
            case "getProcedureColumns": return empty(names("PROCEDURE_CAT PROCEDURE_SCHEM PROCEDURE_NAME COLUMN_NAME "
                    + "COLUMN_TYPE DATA_TYPE TYPE_NAME PRECISION LENGTH SCALE RADIX NULLABLE REMARKS COLUMN_DEF SQL_DATA_TYPE "
                    + "SQL_DATETIME_SUB CHAR_OCTET_LENGTH ORDINAL_POSITION IS_NULLABLE SPECIFIC_NAME"));
            case "getUDTs": return empty(names("TYPE_CAT TYPE_SCHEM TYPE_NAME CLASS_NAME DATA_TYPE REMARKS BASE_TYPE"));
            case "getVersionColumns": return empty(ROW_ID_COLUMNS); // no column changes by itself on update
            case "getColumnPrivileges": return empty(names("TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME GRANTOR GRANTEE "
                    + "PRIVILEGE IS_GRANTABLE"));
            case "getTablePrivileges": return empty(names("TABLE_CAT TABLE_SCHEM TABLE_NAME GRANTOR GRANTEE PRIVILEGE IS_GRANTABLE"));
            case "getSuperTables": return empty(names("TABLE_CAT TABLE_SCHEM TABLE_NAME SUPERTABLE_NAME"));
            case "getSuperTypes": return empty(names("TYPE_CAT TYPE_SCHEM TYPE_NAME SUPERTYPE_CAT SUPERTYPE_SCHEM SUPERTYPE_NAME"));
            case "getAttributes": return empty(names("TYPE_CAT TYPE_SCHEM TYPE_NAME ATTR_NAME DATA_TYPE ATTR_TYPE_NAME ATTR_SIZE "
                    + "DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE REMARKS ATTR_DEF SQL_DATA_TYPE SQL_DATETIME_SUB CHAR_OCTET_LENGTH "
                    + "ORDINAL_POSITION IS_NULLABLE SCOPE_CATALOG SCOPE_SCHEMA SCOPE_TABLE SOURCE_DATA_TYPE"));
            default: return UNSUPPORTED;
        }
    }

    private ResultSet tables(Object[] a) throws SQLException {
        String[] types = (String[]) a[3];
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE ? ESCAPE '\\' "
                + "AND name NOT LIKE 'sqlite_%' ORDER BY type, name", pattern(a[2]))) {
            String type = ((String) r[1]).toUpperCase(Locale.ROOT);
            if (types == null || java.util.Arrays.asList(types).contains(type)) {
                out.add(new Object[] {null, null, r[0], type, null, null, null, null, null, null});
            }
        }
        return JdbcResultSet.of(null, names("TABLE_CAT TABLE_SCHEM TABLE_NAME TABLE_TYPE REMARKS TYPE_CAT TYPE_SCHEM "
                + "TYPE_NAME SELF_REFERENCING_COL_NAME REF_GENERATION"), out);
    }

    /** A declared column type split as tools read it: "DECIMAL(10,2)" is DECIMAL, size 10, scale 2. */
    private record Declared(String name, Integer size, Integer scale) {
        private static final Pattern SIZE = Pattern.compile("\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

        static Declared of(Object type) {
            String t = type == null ? "" : ((String) type).toUpperCase(Locale.ROOT);
            Matcher m = SIZE.matcher(t);
            if (!m.find()) {
                return new Declared(t.trim(), null, null);
            }
            return new Declared(t.substring(0, m.start()).trim(), Integer.valueOf(m.group(1)),
                    m.group(2) == null ? null : Integer.valueOf(m.group(2)));
        }

        /** sqlite-jdbc's mapping (SQLite's affinity rules, BOOL as an integer), which tools built for SQLite expect. */
        int sqlType() {
            if (name.contains("INT") || name.contains("BOOL")) {
                return Types.INTEGER;
            } else if (name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") || name.contains("BLOB")) {
                return Types.VARCHAR;
            } else if (name.contains("REAL") || name.contains("FLOA") || name.contains("DOUB") || name.contains("DEC")
                    || name.contains("NUM")) {
                return Types.FLOAT;
            }
            return Types.VARCHAR; // dates, untyped and anything else: SQLite stores them as declared, usually text
        }

        int columnSize() {
            return size == null ? UNSIZED : size;
        }

        /** The declared scale; else 0 for integers, 10 for floats (as sqlite-jdbc), null where it does not apply. */
        Integer decimalDigits() {
            if (scale != null) {
                return scale;
            }
            return switch (sqlType()) {
                case Types.INTEGER -> 0;
                case Types.FLOAT -> size == null ? 10 : 0;
                default -> null;
            };
        }
    }

    private ResultSet columns(Object[] a) throws SQLException {
        // table_xinfo, unlike table_info, lists generated columns (hidden 2 and 3); hidden 1 is a virtual table's.
        // AUTOINCREMENT is only allowed on the INTEGER PRIMARY KEY, so the table's SQL having it marks that column.
        return result(names("TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME DATA_TYPE TYPE_NAME COLUMN_SIZE BUFFER_LENGTH "
                + "DECIMAL_DIGITS NUM_PREC_RADIX NULLABLE REMARKS COLUMN_DEF SQL_DATA_TYPE SQL_DATETIME_SUB CHAR_OCTET_LENGTH "
                + "ORDINAL_POSITION IS_NULLABLE SCOPE_CATALOG SCOPE_SCHEMA SCOPE_TABLE SOURCE_DATA_TYPE IS_AUTOINCREMENT "
                + "IS_GENERATEDCOLUMN"), c -> {
                    Declared type = Declared.of(c[2]);
                    boolean notNull = Values.toLong(c[3]) != 0;
                    return new Object[] {null, null, c[0], c[1], type.sqlType(), type.name(), type.columnSize(), UNSIZED,
                            type.decimalDigits(), 10, notNull ? DatabaseMetaData.columnNoNulls : DatabaseMetaData.columnNullable,
                            null, c[4], 0, 0, UNSIZED, (int) Values.toLong(c[5]) + 1, yesNo(!notNull), null, null, null, null,
                            yesNo(Values.toLong(c[7]) != 0), yesNo(Values.toLong(c[6]) >= 2)};
                },
                "SELECT m.name, c.name, c.type, c.\"notnull\", c.dflt_value, c.cid, c.hidden, "
                        + "c.pk = 1 AND upper(c.type) = 'INTEGER' AND m.sql LIKE '%AUTOINCREMENT%' "
                        + "FROM sqlite_master m JOIN pragma_table_xinfo(m.name) c "
                        + "WHERE m.type IN ('table', 'view') AND m.name LIKE ? ESCAPE '\\' AND m.name NOT LIKE 'sqlite_%' "
                        + "AND c.name LIKE ? ESCAPE '\\' AND c.hidden <> 1 ORDER BY m.name, c.cid",
                pattern(a[2]), pattern(a[3]));
    }

    private static String yesNo(boolean b) {
        return b ? "YES" : "NO";
    }

    private ResultSet primaryKeys(Object[] a) throws SQLException {
        String table = (String) a[2];
        return result(names("TABLE_CAT TABLE_SCHEM TABLE_NAME COLUMN_NAME KEY_SEQ PK_NAME"),
                c -> new Object[] {null, null, table, c[0], (short) Values.toLong(c[1]), null},
                "SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table);
    }

    private ResultSet indexInfo(String table, boolean uniqueOnly) throws SQLException {
        // index_xinfo's key columns are the indexed ones (the rest is the rowid/primary key it carries);
        // an expression's part has no column name. A rowid table's INTEGER PRIMARY KEY is the rowid, no index.
        return result(names("TABLE_CAT TABLE_SCHEM TABLE_NAME NON_UNIQUE INDEX_QUALIFIER INDEX_NAME TYPE ORDINAL_POSITION "
                + "COLUMN_NAME ASC_OR_DESC CARDINALITY PAGES FILTER_CONDITION"),
                r -> new Object[] {null, null, r[0], Values.toLong(r[2]) == 0, null, r[1], (short) DatabaseMetaData.tableIndexOther,
                        (short) (Values.toLong(r[3]) + 1), r[4], Values.toLong(r[5]) != 0 ? "D" : "A", 0L, 0L, null},
                "SELECT m.name, il.name, il.\"unique\", ii.seqno, ii.name, ii.\"desc\" "
                        + "FROM sqlite_master m JOIN pragma_index_list(m.name) il JOIN pragma_index_xinfo(il.name) ii "
                        + "WHERE m.type = 'table' AND m.name = ? COLLATE NOCASE AND ii.key = 1 "
                        + (uniqueOnly ? "AND il.\"unique\" = 1 " : "") + "ORDER BY il.\"unique\" DESC, il.name, ii.seqno",
                table);
    }

    /**
     * Foreign keys from {@code foreignTable} to {@code primaryTable} (null: any), one row per column pair: imported
     * keys (ordered by the referenced table), exported keys and cross references (ordered by the referencing one).
     */
    private ResultSet foreignKeys(String primaryTable, String foreignTable) throws SQLException {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("m.type = 'table'");
        if (primaryTable != null) {
            where.append(" AND f.\"table\" = ? COLLATE NOCASE");
            params.add(primaryTable);
        }
        if (foreignTable != null) {
            where.append(" AND m.name = ? COLLATE NOCASE");
            params.add(foreignTable);
        }
        // A REFERENCES without columns names the referenced table's primary key ("to" is NULL then); the
        // referenced table's name is reported as the catalog spells it, as SQLite matches names case-insensitively.
        List<Object[]> keys = rows("SELECT coalesce(p.name, f.\"table\"), "
                + "coalesce(f.\"to\", (SELECT name FROM pragma_table_info(f.\"table\") WHERE pk = f.seq + 1)), "
                + "m.name, f.\"from\", f.seq, f.on_update, f.on_delete, f.id, m.sql "
                + "FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f "
                + "LEFT JOIN sqlite_master p ON p.type = 'table' AND p.name = f.\"table\" COLLATE NOCASE "
                + "WHERE " + where + " ORDER BY " + (foreignTable != null && primaryTable == null ? "1" : "3") + ", f.id, f.seq",
                params.toArray());
        Map<String, String> fkNames = constraintNames(keys);
        List<Object[]> out = new ArrayList<>();
        for (Object[] k : keys) {
            out.add(new Object[] {null, null, k[0], k[1], null, null, k[2], k[3], (short) (Values.toLong(k[4]) + 1),
                    rule(k[5]), rule(k[6]), fkNames.getOrDefault(k[2] + "\0" + k[7], ""), null,
                    (short) DatabaseMetaData.importedKeyNotDeferrable});
        }
        return JdbcResultSet.of(null, names("PKTABLE_CAT PKTABLE_SCHEM PKTABLE_NAME PKCOLUMN_NAME FKTABLE_CAT FKTABLE_SCHEM "
                + "FKTABLE_NAME FKCOLUMN_NAME KEY_SEQ UPDATE_RULE DELETE_RULE FK_NAME PK_NAME DEFERRABILITY"), out);
    }

    /**
     * Names of foreign keys declared {@code CONSTRAINT name FOREIGN KEY (cols)}, keyed by table and
     * foreign_key_list id: SQLite keeps the name only in the CREATE TABLE text, so it is matched by column list.
     */
    private static Map<String, String> constraintNames(List<Object[]> keys) {
        Map<String, List<String>> columnsOfKey = new HashMap<>();
        Map<String, String> sqlOfTable = new HashMap<>();
        for (Object[] k : keys) {
            columnsOfKey.computeIfAbsent(k[2] + "\0" + k[7], x -> new ArrayList<>()).add(((String) k[3]).toLowerCase(Locale.ROOT));
            sqlOfTable.put((String) k[2], (String) k[8]);
        }
        Map<String, String> named = new HashMap<>();
        sqlOfTable.forEach((table, sql) -> {
            Matcher m = NAMED_FOREIGN_KEY.matcher(sql == null ? "" : sql);
            while (m.find()) {
                List<String> cols = new ArrayList<>();
                for (String c : m.group(2).split(",")) {
                    cols.add(unquote(c.trim()).toLowerCase(Locale.ROOT));
                }
                columnsOfKey.forEach((key, keyCols) -> {
                    if (key.startsWith(table + "\0") && keyCols.equals(cols)) {
                        named.put(key, unquote(m.group(1)));
                    }
                });
            }
        });
        return named;
    }

    private static String unquote(String identifier) {
        if (identifier.length() >= 2 && "\"`[".indexOf(identifier.charAt(0)) >= 0) {
            return identifier.substring(1, identifier.length() - 1).replace("\"\"", "\"");
        }
        return identifier;
    }

    private static short rule(Object action) {
        return (short) switch ((String) action) {
            case "CASCADE" -> DatabaseMetaData.importedKeyCascade;
            case "SET NULL" -> DatabaseMetaData.importedKeySetNull;
            case "SET DEFAULT" -> DatabaseMetaData.importedKeySetDefault;
            case "RESTRICT" -> DatabaseMetaData.importedKeyRestrict;
            default -> DatabaseMetaData.importedKeyNoAction;
        };
    }

    /**
     * The primary key's columns; without one, a table's rowid, which VACUUM may renumber, so it is good for a
     * transaction only. Views have neither. ({@code nullable} is not applied: primary key columns are returned.)
     */
    private ResultSet bestRowIdentifier(String table, int scope) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        for (Object[] c : rows("SELECT name, type FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table)) {
            Declared type = Declared.of(c[1]);
            out.add(new Object[] {(short) DatabaseMetaData.bestRowSession, c[0], type.sqlType(), type.name(), type.columnSize(),
                    null, type.decimalDigits(), (short) DatabaseMetaData.bestRowNotPseudo});
        }
        if (out.isEmpty() && scope <= DatabaseMetaData.bestRowTransaction
                && !rows("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", table).isEmpty()) {
            out.add(new Object[] {(short) DatabaseMetaData.bestRowTransaction, "rowid", Types.INTEGER, "INTEGER", UNSIZED,
                    null, 0, (short) DatabaseMetaData.bestRowPseudo});
        }
        return JdbcResultSet.of(null, ROW_ID_COLUMNS, out);
    }
}
