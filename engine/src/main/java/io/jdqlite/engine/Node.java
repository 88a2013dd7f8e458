package io.jdqlite.engine;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Placeholder while the engine is being written (replaced in the same change). */
final class Node {
    static Node start(EngineConfig config) throws IOException { throw new UnsupportedOperationException("engine not implemented yet"); }
    long nodeId() { return 0; }
    EngineConfig config() { return null; }
    Session openSession(String name) { throw new UnsupportedOperationException(); }
    boolean isLeader() { return false; }
    Optional<Member> leader() { return Optional.empty(); }
    List<Member> members() { return List.of(); }
    EngineStatus status() { return null; }
    Membership membership() { return null; }
    CompletableFuture<List<DumpFile>> dump(String name) { return null; }
    void close() { }
}
