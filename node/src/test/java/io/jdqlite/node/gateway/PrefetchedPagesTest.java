package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pages of a spilled result are read off the event loop. The test thread plays the event loop: it runs what
 * is handed to the loop ({@link #runLoop}), and a source that blocks shows that the loop never waits for a read.
 */
class PrefetchedPagesTest {
    private final ExecutorService reader = Executors.newSingleThreadExecutor();
    private final LinkedBlockingQueue<Runnable> loopTasks = new LinkedBlockingQueue<>();
    private final AtomicInteger resumes = new AtomicInteger();

    @AfterEach
    void stop() {
        reader.shutdownNow();
    }

    /** A result of {@code count} pages of {@code pageBytes} each; page i holds i in its first byte. */
    private static final class Source implements ResultPages {
        final int count;
        final int pageBytes;
        final CountDownLatch go;
        final List<String> threads = new ArrayList<>();
        volatile int taken;
        volatile int closes;
        volatile RuntimeException failAt;
        volatile int failIndex = -1;

        Source(int count, int pageBytes, CountDownLatch go) {
            this.count = count;
            this.pageBytes = pageBytes;
            this.go = go;
        }

        @Override
        public Page next() {
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
            }
            if (taken == failIndex) {
                throw failAt;
            }
            ByteBuffer b = ByteBuffer.allocate(pageBytes);
            b.put(0, (byte) taken);
            taken++;
            return new Page(b, taken == count);
        }

        @Override
        public void close() {
            closes++;
        }
    }

    private PrefetchedPages pages(Source source) {
        return new PrefetchedPages(source, reader, loopTasks::add, resumes::incrementAndGet);
    }

    /** Runs what was handed to the event loop, waiting up to 10 s for the first task. */
    private void runLoop() throws InterruptedException {
        Runnable task = loopTasks.poll(10, TimeUnit.SECONDS);
        assertThat(task).as("a hand-over to the event loop").isNotNull();
        task.run();
        for (Runnable more; (more = loopTasks.poll()) != null; ) {
            more.run();
        }
    }

    @Test
    void theEventLoopNeverWaitsForARead() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Source source = new Source(3, 100, go);
        PrefetchedPages pages = pages(source);

        assertThat(pages.next()).isNull(); // returns at once although the source is blocked
        assertThat(pages.next()).isNull(); // and does not start a second read
        go.countDown();
        runLoop();

        assertThat(resumes).hasValue(1);
        List<Integer> order = new ArrayList<>();
        ResultPages.Page page;
        do {
            page = pages.next();
            order.add((int) page.bytes().get(0));
        } while (!page.last());
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(source.threads).isNotEmpty().noneMatch(t -> t.equals(Thread.currentThread().getName()));
        assertThat(loopTasks).isEmpty();
    }

    @Test
    void theNextBatchIsReadWhileThisOneGoesOut() throws Exception {
        int perBatch = PrefetchedPages.READ_AHEAD_BYTES / 4096;
        Source source = new Source(3 * perBatch, 4096, new CountDownLatch(0));
        PrefetchedPages pages = pages(source);
        assertThat(pages.next()).isNull();
        runLoop();
        assertThat(source.taken).isEqualTo(perBatch);

        for (int i = 0; i < perBatch; i++) {
            assertThat(pages.next().bytes().get(0)).isEqualTo((byte) i);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> source.taken == 2 * perBatch); // read ahead, not on demand
        runLoop();
        int seen = perBatch;
        ResultPages.Page page;
        do {
            page = pages.next();
            if (page == null) {
                runLoop();
                continue;
            }
            assertThat(page.bytes().get(0)).isEqualTo((byte) seen++);
        } while (page == null || !page.last());
        assertThat(seen).isEqualTo(3 * perBatch);
        assertThat(source.closes).isZero(); // the source closes itself at its last page; close() is the sender's
    }

    @Test
    void aCloseDuringAReadLeavesTheSourceToThatRead() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Source source = new Source(100, 100, go);
        PrefetchedPages pages = pages(source);
        assertThat(pages.next()).isNull();

        pages.close();
        assertThat(source.closes).isZero(); // still being read: closing now would race that read

        go.countDown();
        runLoop();
        assertThat(source.closes).isEqualTo(1);
        assertThat(resumes).hasValue(0); // nobody to send to
    }

    @Test
    void aCloseBetweenReadsClosesTheSourceAtOnce() throws Exception {
        Source source = new Source(1, 100, new CountDownLatch(0));
        PrefetchedPages pages = pages(source);
        assertThat(pages.next()).isNull();
        runLoop();

        pages.close();

        assertThat(source.closes).isEqualTo(1);
    }

    @Test
    void aReadFailureComesAfterThePagesReadBeforeIt() throws Exception {
        Source source = new Source(100, 100, new CountDownLatch(0));
        source.failIndex = 2;
        source.failAt = new UncheckedIOException(new java.io.IOException("disk gone"));
        PrefetchedPages pages = pages(source);
        assertThat(pages.next()).isNull();
        runLoop();

        assertThat(pages.next().bytes().get(0)).isEqualTo((byte) 0);
        assertThat(pages.next().bytes().get(0)).isEqualTo((byte) 1);
        assertThatThrownBy(pages::next).isSameAs(source.failAt);
    }

    @Test
    void aStoppedReaderFailsTheResultRatherThanLeavingItWaiting() {
        Source source = new Source(3, 100, new CountDownLatch(0));
        PrefetchedPages pages = new PrefetchedPages(source, task -> {
            throw new RejectedExecutionException("shut down");
        }, loopTasks::add, resumes::incrementAndGet);

        assertThatThrownBy(pages::next).hasMessageContaining("the node is stopping");
        pages.close();
        assertThat(source.closes).isEqualTo(1);
    }
}
