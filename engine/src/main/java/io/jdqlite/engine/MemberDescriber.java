package io.jdqlite.engine;

import java.util.Optional;

/**
 * Asks a member for its {@link MemberMetadata} (the node asks over the wire with DESCRIBE, as go-dqlite's
 * app does). May block for a bounded time; empty when the member did not answer.
 */
@FunctionalInterface
public interface MemberDescriber {
    MemberDescriber NONE = m -> Optional.empty();

    Optional<MemberMetadata> describe(Member member);
}
