package io.jdqlite.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpilledRowsTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void everyStorageClassComesBackAsItWentInAndCloseDeletesTheFile() throws Exception {
        DiskReserve space = new DiskReserve(() -> 1000 * MIB, 0);
        Object[][] rows = {
                {null, Long.MIN_VALUE, -0.0, "", new byte[0]},
                {Long.MAX_VALUE, Double.NaN, "日本語 and 🎉", new byte[] {0, 1, (byte) 0xff}, null},
                {0L, 1e308, "a".repeat(100_000), new byte[70_000], "\0inside"},
        };
        SpilledRows spill = SpilledRows.create(dir, space, "app", 5);
        for (Object[] r : rows) {
            spill.add(r);
        }
        spill.finish();
        assertThat(spill.rowCount()).isEqualTo(3);
        Iterator<Object[]> back = spill.reader();
        for (Object[] r : rows) {
            assertThat(back.hasNext()).isTrue();
            assertThat(back.next()).containsExactly(r);
        }
        assertThat(back.hasNext()).isFalse();
        assertThatThrownBy(spill::reader).as("one pass").isInstanceOf(IllegalStateException.class);

        assertThat(Files.list(dir)).hasSize(1);
        spill.close();
        spill.close();
        assertThat(Files.list(dir)).isEmpty();
    }

    @Test
    void theDiskIsClaimedAsTheFileGrowsAndGivenBackOnceItIsWritten() throws Exception {
        AtomicLong usable = new AtomicLong(SpilledRows.CLAIM_STEP + 10 * MIB);
        DiskReserve space = new DiskReserve(usable::get, 10 * MIB);
        SpilledRows spill = SpilledRows.create(dir, space, "app", 1);
        spill.add(new Object[] {new byte[1024]});
        // The first step took all there was above the reserve: nothing more may be claimed meanwhile.
        assertThatThrownBy(() -> space.claim("a dump of app", 1)).isInstanceOf(EngineException.class);
        spill.finish();
        space.claim("a dump of app", SpilledRows.CLAIM_STEP).close();

        SpilledRows runaway = SpilledRows.create(dir, space, "app", 1);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                runaway.add(new Object[] {new byte[(int) MIB]});
            }
        }).isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_FULL))
                .hasMessageContaining("a query result of app spilled to disk");
        runaway.close();
        spill.close();
        assertThat(Files.list(dir)).isEmpty();
    }
}
