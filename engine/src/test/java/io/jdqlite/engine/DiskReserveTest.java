package io.jdqlite.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DiskReserveTest {
    private static final long MIB = 1 << 20;

    @Test
    void aCopyGoesAheadWhileTheReserveStaysFreeBeyondIt() {
        DiskReserve space = new DiskReserve(() -> 1000 * MIB, 256 * MIB);
        space.claim("a dump of app", 744 * MIB).close(); // exactly the reserve left
        assertThatThrownBy(() -> space.claim("a dump of app", 745 * MIB))
                .isInstanceOfSatisfying(EngineException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_FULL))
                .hasMessage("not enough disk space on this node for a dump of app: it takes up to 745.0 MiB, "
                        + "1000.0 MiB are free, and 256.0 MiB stay free for the Raft log and the databases");
    }

    @Test
    void copiesBeingMadeCountAgainstTheFreeSpaceUntilTheyEnd() {
        AtomicLong usable = new AtomicLong(1000 * MIB);
        DiskReserve space = new DiskReserve(usable::get, 100 * MIB);
        DiskReserve.Claim first = space.claim("a", 600 * MIB);
        assertThatThrownBy(() -> space.claim("b", 400 * MIB))
                .hasMessageContaining("(600.0 MiB of it taken by other dumps and spilled results being written)");
        // A refused claim takes nothing: a smaller copy still fits beside the first.
        space.claim("c", 300 * MIB).close();
        first.close();
        // The first copy's file now shows in the usable space itself, not as a claim.
        usable.set(400 * MIB);
        space.claim("b", 300 * MIB).close();
        assertThatThrownBy(() -> space.claim("b", 301 * MIB)).isInstanceOf(EngineException.class);
    }
}
