package io.jdqlite.node.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The pages of a result spilled to disk, read by a blocking executor a turn's worth ahead of the event loop
 * that sends them, so that a read from a cold disk holds up neither this connection's INTERRUPT nor the other
 * connections of its event loop. While the loop sends what was read, the next batch is being read.
 *
 * <p>Everything but {@link #readAhead} runs on the event loop. The source is only touched by the one read in
 * flight, or by the loop when none is; so a close while a read is in flight leaves the source to that read's
 * return, which closes it.
 */
final class PrefetchedPages implements ResultPages {
    /** Bytes of pages read per trip to the blocking executor: one event-loop turn's worth of sending. */
    static final int READ_AHEAD_BYTES = ConnectionHandler.PUMP_TURN_BYTES;

    private final ResultPages source;
    private final Executor reader;
    private final Executor loop;
    private final Runnable resume;
    private final ArrayDeque<Page> ready = new ArrayDeque<>();
    private boolean reading;
    private boolean sawLast;
    private boolean closed;
    private RuntimeException failure;

    /**
     * @param reader runs the reads (may block)
     * @param loop   the connection's event loop, where the pages are handed over
     * @param resume run on the loop when pages arrive after {@link #next} answered null
     */
    PrefetchedPages(ResultPages source, Executor reader, Executor loop, Runnable resume) {
        this.source = source;
        this.reader = reader;
        this.loop = loop;
        this.resume = resume;
    }

    @Override
    public Page next() {
        Page page = ready.poll();
        if (page == null) {
            if (failure == null && !reading && !sawLast) {
                read();
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        if (ready.isEmpty() && !page.last() && !reading && !sawLast) {
            read(); // the next batch comes while this one goes out
        }
        return page;
    }

    @Override
    public void close() {
        closed = true;
        ready.clear();
        if (!reading) {
            source.close();
        }
    }

    private void read() {
        reading = true;
        try {
            reader.execute(this::readAhead);
        } catch (RejectedExecutionException e) {
            reading = false;
            failure = new IllegalStateException("the node is stopping: the rest of the result cannot be read", e);
        }
    }

    /** On the reader: pages worth {@link #READ_AHEAD_BYTES}, or up to the last. */
    private void readAhead() {
        List<Page> pages = new ArrayList<>();
        RuntimeException error = null;
        try {
            int bytes = 0;
            while (bytes < READ_AHEAD_BYTES) {
                Page page = source.next();
                pages.add(page);
                bytes += page.bytes().remaining();
                if (page.last()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            error = e;
        }
        RuntimeException failed = error;
        try {
            loop.execute(() -> arrived(pages, failed));
        } catch (RejectedExecutionException e) {
            source.close(); // the event loop is gone, and the connection with it
        }
    }

    private void arrived(List<Page> pages, RuntimeException error) {
        reading = false;
        if (closed) {
            source.close();
            return;
        }
        ready.addAll(pages);
        sawLast |= !pages.isEmpty() && pages.get(pages.size() - 1).last();
        failure = error;
        resume.run();
    }
}
