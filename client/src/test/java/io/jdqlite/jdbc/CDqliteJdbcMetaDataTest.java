package io.jdqlite.jdbc;

import io.jdqlite.client.CDqliteNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** {@link JdbcMetaDataTest}'s tests against the real C dqlite (a dqlite-benchmark node, port 25203). */
class CDqliteJdbcMetaDataTest extends JdbcMetaDataTest {
    private static final String ADDRESS = "127.0.0.1:25203";
    private static final String C_URL = "jdbc:dqlite://" + ADDRESS + "/meta?requestTimeout=20s";
    @TempDir
    static Path cTmp;
    static CDqliteNodes node;

    /** Replaces JdbcMetaDataTest.start (same signature): no jdqlite cluster here. */
    @BeforeAll
    static void start() throws Exception {
        node = CDqliteNodes.startSingle(cTmp, ADDRESS);
        createSchema(C_URL);
    }

    /** Replaces JdbcMetaDataTest.stop. */
    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    String url() {
        return C_URL;
    }
}
