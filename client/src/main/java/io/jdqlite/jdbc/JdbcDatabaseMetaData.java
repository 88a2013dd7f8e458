package io.jdqlite.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.RowIdLifetime;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What tools ask of a database: product, capabilities, tables, columns, primary keys (from SQLite's catalog). */
final class JdbcDatabaseMetaData extends JdbcProxy {
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

    private static String pattern(Object p) {
        return p == null ? "%" : (String) p;
    }

    @Override
    Object call(Object self, String name, Object[] a) throws SQLException {
        switch (name) {
            case "getDatabaseProductName": return "dqlite";
            case "getDatabaseProductVersion": {
                List<Object[]> v = rows("SELECT sqlite_version()");
                return "SQLite " + v.get(0)[0];
            }
            case "getDatabaseMajorVersion": return 3;
            case "getDatabaseMinorVersion": return 0;
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
                    "supportsCoreSQLGrammar", "supportsIntegrityEnhancementFacility":
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
                    "supportsRefCursors", "supportsSharding", "supportsAlterTableWithDropColumn", "supportsSubqueriesInComparisons",
                    "supportsSubqueriesInQuantifieds", "doesMaxRowSizeIncludeBlobs":
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
            default: return UNSUPPORTED;
        }
    }

    private ResultSet tables(Object[] a) throws SQLException {
        String[] types = (String[]) a[3];
        List<Object[]> out = new ArrayList<>();
        for (Object[] r : rows("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE ? "
                + "AND name NOT LIKE 'sqlite_%' ORDER BY type, name", pattern(a[2]))) {
            String type = ((String) r[1]).toUpperCase(java.util.Locale.ROOT);
            if (types == null || java.util.Arrays.asList(types).contains(type)) {
                out.add(new Object[] {null, null, r[0], type, null, null, null, null, null, null});
            }
        }
        return JdbcResultSet.of(null, List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS",
                "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"), out);
    }

    private List<String> tableNames(Object pattern) throws SQLException {
        List<String> names = new ArrayList<>();
        for (Object[] r : rows("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name LIKE ? "
                + "AND name NOT LIKE 'sqlite_%' ORDER BY name", pattern(pattern))) {
            names.add((String) r[0]);
        }
        return names;
    }

    private ResultSet columns(Object[] a) throws SQLException {
        List<Object[]> out = new ArrayList<>();
        String columnPattern = pattern(a[3]);
        for (String table : tableNames(a[2])) {
            for (Object[] c : rows("SELECT name, type, \"notnull\", dflt_value, cid FROM pragma_table_info(?) WHERE name LIKE ? ORDER BY cid",
                    table, columnPattern)) {
                boolean notNull = Values.toLong(c[2]) != 0;
                String decl = c[1] == null ? "" : (String) c[1];
                out.add(new Object[] {null, null, table, c[0], (long) Values.sqlTypeOfDeclared(decl), decl, 2_000_000_000L, null,
                        10L, 10L, notNull ? (long) DatabaseMetaData.columnNoNulls : (long) DatabaseMetaData.columnNullable, null, c[3],
                        null, null, 2_000_000_000L, Values.toLong(c[4]) + 1, notNull ? "NO" : "YES", null, null, null, null, "", ""});
            }
        }
        return JdbcResultSet.of(null, List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME",
                "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "NUM_PREC_RADIX", "NULLABLE", "REMARKS", "COLUMN_DEF",
                "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH", "ORDINAL_POSITION", "IS_NULLABLE", "SCOPE_CATALOG",
                "SCOPE_SCHEMA", "SCOPE_TABLE", "SOURCE_DATA_TYPE", "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"), out);
    }

    private ResultSet primaryKeys(Object[] a) throws SQLException {
        String table = (String) a[2];
        List<Object[]> out = new ArrayList<>();
        for (Object[] c : rows("SELECT name, pk FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk", table)) {
            out.add(new Object[] {null, null, table, c[0], c[1], null});
        }
        return JdbcResultSet.of(null, List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ", "PK_NAME"), out);
    }
}
