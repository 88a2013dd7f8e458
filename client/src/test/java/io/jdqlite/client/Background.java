package io.jdqlite.client;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Tests' statements run on a thread of their own, so that the test thread can interrupt or cancel them. */
public final class Background {
    private Background() {
    }

    public static CompletableFuture<Object> run(Callable<Object> work) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(work.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "statement");
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** How {@code work} failed, within {@code seconds}; an AssertionError when it completed or still runs. */
    public static Throwable failureOf(CompletableFuture<?> work, long seconds) throws InterruptedException {
        try {
            work.get(seconds, TimeUnit.SECONDS);
            throw new AssertionError("the statement completed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the statement still runs", e);
        }
    }
}
