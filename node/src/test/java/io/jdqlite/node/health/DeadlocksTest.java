package io.jdqlite.node.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeadlocksTest {
    @Test
    void twoThreadsWaitingForEachOthersLockAreReportedWithTheirStacks() throws Exception {
        assertThat(Deadlocks.find()).isEmpty();
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread first = crossing("holds-a-wants-b", a, b, bothHold);
        Thread second = crossing("holds-b-wants-a", b, a, bothHold);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Deadlocks.find().isPresent());
            assertThat(Deadlocks.find().orElseThrow())
                    .contains("2 threads deadlocked", "\"holds-a-wants-b\" waits for", "held by \"holds-b-wants-a\"",
                            "\"holds-b-wants-a\" waits for", "held by \"holds-a-wants-b\"", "ReentrantLock", "at ");
        } finally {
            // Interruptible waits: the deadlock ends, so it does not outlive this test in a shared JVM.
            first.interrupt();
            second.interrupt();
            first.join(10_000);
            second.join(10_000);
        }
        assertThat(Deadlocks.find()).isEmpty();
    }

    private static Thread crossing(String name, ReentrantLock held, ReentrantLock wanted, CountDownLatch bothHold) {
        Thread t = new Thread(() -> {
            held.lock();
            try {
                bothHold.countDown();
                bothHold.await();
                wanted.lockInterruptibly();
                wanted.unlock();
            } catch (InterruptedException e) {
                // the test ends the deadlock
            } finally {
                held.unlock();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
