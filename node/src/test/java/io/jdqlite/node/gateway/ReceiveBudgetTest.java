package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Large bodies arriving at once share one node-wide budget; a body over it is skipped as it arrives, never
 * buffered, and refused in its turn.
 */
class ReceiveBudgetTest {
    private static final int BODY = 200_000;
    private final ReceiveBudget budget = new ReceiveBudget(300_000);

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1 << 20, budget));
        ch.writeInbound(Unpooled.wrappedBuffer(Protocol.handshake(Protocol.VERSION)));
        return ch;
    }

    /** A header announcing a body of {@code bodyBytes}, then {@code sent} bytes of it. */
    private static ByteBuf largeMessageStart(int bodyBytes, int sent) {
        ByteBuffer b = ByteBuffer.allocate(Protocol.HEADER_SIZE + sent).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(bodyBytes / Protocol.WORD_SIZE).put((byte) 8).put((byte) 0).putShort((short) 0); // 8: EXEC_SQL
        return Unpooled.wrappedBuffer(b.array());
    }

    private static Response.Failure failureSent(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("a FAILURE for the client").isNotNull();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        MessageHeader h = MessageHeader.read(buf.slice(0, Protocol.HEADER_SIZE), Integer.MAX_VALUE);
        return (Response.Failure) Response.read(h, buf.slice(Protocol.HEADER_SIZE, h.bodyLength()), Protocol.CLUSTER_FORMAT_V1);
    }

    @Test
    void aBodyOverTheMessageLimitIsSkippedAndRefusedWithTheSettingToRaise() {
        EmbeddedChannel ch = connection(); // a limit of 1 MiB
        ch.writeInbound(largeMessageStart(4 << 20, 0));
        for (int i = 0; i < 4; i++) {
            assertThat((Object) ch.readInbound()).isNull();
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[1 << 20]));
        }
        MalformedRequest refused = ch.readInbound();
        assertThat(refused.code()).isEqualTo(ErrorCodes.SQLITE_TOOBIG);
        assertThat(refused.message()).contains("a message of " + ((4 << 20) + 8) + " bytes exceeds this node's limit of "
                + (1 << 20) + " bytes (jdqlite.max-message-size)");
        assertThat(budget.available()).isEqualTo(300_000);
        ch.writeInbound(largeMessageStart(8, 8));
        assertThat((Object) ch.readInbound()).as("the next message").isNotNull();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void aSecondLargeBodyBeyondTheBudgetIsRefusedAndTheFirstGivesItsShareBack() {
        EmbeddedChannel first = connection();
        first.writeInbound(largeMessageStart(BODY, 1000));
        assertThat(budget.available()).isEqualTo(100_000);

        EmbeddedChannel second = connection();
        second.writeInbound(largeMessageStart(BODY, 1000));
        assertThat((Object) second.readInbound()).as("nothing until the refused body has gone by").isNull();
        assertThat(budget.available()).as("the refused connection holds nothing").isEqualTo(100_000);
        second.writeInbound(Unpooled.wrappedBuffer(new byte[BODY - 1000])); // skipped as it arrives
        MalformedRequest refused = second.readInbound();
        assertThat(refused.code()).isEqualTo(ErrorCodes.SQLITE_NOMEM); // answered in its turn: "retry later"
        assertThat(refused.message()).contains("too many large messages", "retry later");
        assertThat(second.isOpen()).isTrue();
        second.writeInbound(largeMessageStart(8, 8)); // and the connection goes on
        assertThat((Object) second.readInbound()).isNotNull();
        assertThat(budget.available()).isEqualTo(100_000);

        first.close(); // gone mid-body
        assertThat(budget.available()).isEqualTo(300_000);

        EmbeddedChannel third = connection();
        third.writeInbound(largeMessageStart(BODY, 0));
        assertThat(budget.available()).isEqualTo(100_000);
        third.writeInbound(Unpooled.wrappedBuffer(new byte[BODY])); // the whole body: decoded (malformed here) and released
        assertThat((Object) third.readInbound()).isNotNull();
        assertThat(budget.available()).isEqualTo(300_000);
        assertThat(third.isOpen()).isTrue();
    }
}
