package io.jdqlite.engine;

import java.util.concurrent.CompletableFuture;

/** Placeholder while the engine is being written. */
final class Membership {
    CompletableFuture<Void> add(Member m) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
    CompletableFuture<Void> assign(long id, Role r) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
    CompletableFuture<Void> remove(long id) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
    CompletableFuture<Void> transfer(long id) { return CompletableFuture.failedFuture(new UnsupportedOperationException()); }
}
