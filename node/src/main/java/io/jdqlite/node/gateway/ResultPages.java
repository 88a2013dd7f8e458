package io.jdqlite.node.gateway;

import java.nio.ByteBuffer;

/** The ROWS messages of one query result, taken one at a time on the connection's event loop. */
interface ResultPages extends AutoCloseable {
    /** One ROWS message (header and body); {@code last} when it ends with ROWS_DONE. */
    record Page(ByteBuffer bytes, boolean last) {
    }

    /**
     * The next page, or null when it is not at hand yet (then whoever made these pages is told when it is);
     * call only until a page came back {@code last}.
     *
     * @throws RuntimeException when the rows cannot be read (a spill file that cannot be read back)
     */
    Page next();

    /** Done with the result, sent or not: a spill file goes. */
    @Override
    void close();
}
