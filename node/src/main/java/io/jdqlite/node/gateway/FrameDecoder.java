package io.jdqlite.node.gateway;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.ProtocolException;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns the byte stream of one connection into requests: first the 8-byte protocol version, then
 * framed messages. Emits {@link Request}s, or {@link MalformedRequest}s for bodies that do not
 * decode (framing stays intact, so the connection can go on). A message larger than the limit, or one the
 * node has no room to receive now, is skipped as it arrives (never held) and answered with a FAILURE in its
 * turn, so its client hears why, rather than a reset in the middle of sending it, and can go on. A wrong
 * version closes the connection: nothing sensible can follow.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = Logger.getLogger(FrameDecoder.class);

    private final int maxMessageSize;
    private final ReceiveBudget budget;
    private boolean handshakeDone;
    private boolean refused;
    private MessageHeader header;
    /** Budget this connection holds for the body it is receiving. */
    private long reserved;
    /** Bytes of a refused body still to skip, and the FAILURE that answers it once skipped. */
    private long skipping;
    private MalformedRequest refusal;

    FrameDecoder(int maxMessageSize, ReceiveBudget budget) {
        this.maxMessageSize = maxMessageSize;
        this.budget = budget;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!handshakeDone) {
            if (in.readableBytes() < Protocol.WORD_SIZE) {
                return;
            }
            long version = in.readLongLE();
            if (version != Protocol.VERSION) {
                String why = version == Protocol.VERSION_LEGACY
                        ? "legacy (pre-1.0) dqlite protocol is not supported: use protocol version 1"
                        : "unknown protocol version " + Long.toUnsignedString(version);
                refuse(ctx, in, why);
                return;
            }
            handshakeDone = true;
        }
        while (true) {
            if (refusal != null) {
                int skip = (int) Math.min(skipping, in.readableBytes());
                in.skipBytes(skip);
                skipping -= skip;
                if (skipping > 0) {
                    return;
                }
                out.add(refusal);
                refusal = null;
            }
            if (header == null) {
                if (in.readableBytes() < Protocol.HEADER_SIZE) {
                    return;
                }
                ByteBuffer raw = ByteBuffer.allocate(Protocol.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                in.readBytes(raw);
                raw.flip();
                long length = MessageHeader.bodyLengthOf(raw);
                if (length + Protocol.HEADER_SIZE > maxMessageSize) {
                    skip(length, ErrorCodes.SQLITE_TOOBIG, "a message of " + (length + Protocol.HEADER_SIZE)
                            + " bytes exceeds this node's limit of " + maxMessageSize + " bytes (jdqlite.max-message-size)");
                    continue;
                }
                header = MessageHeader.read(raw, maxMessageSize);
                if (header.bodyLength() > ReceiveBudget.COUNTED_FROM) {
                    if (!budget.reserve(header.bodyLength())) {
                        skip(header.bodyLength(), ErrorCodes.SQLITE_NOMEM, "the node is receiving too many large "
                                + "messages at once to take this one of " + header.bodyLength() + " bytes: retry later");
                        header = null;
                        continue;
                    }
                    reserved = header.bodyLength();
                }
            }
            if (in.readableBytes() < header.bodyLength()) {
                return;
            }
            ByteBuffer body = ByteBuffer.allocate(header.bodyLength());
            in.readBytes(body);
            body.flip();
            MessageHeader h = header;
            header = null;
            releaseBudget(); // the body is out of the cumulation buffer: a heap copy, about to be decoded
            try {
                out.add(Request.read(h, body));
            } catch (ProtocolException e) {
                out.add(new MalformedRequest(e.code(), e.getMessage()));
            }
        }
    }

    /** The body that follows is dropped as it arrives; then the client is told why, in its turn. */
    private void skip(long bodyLength, int code, String why) {
        skipping = bodyLength;
        refusal = new MalformedRequest(code, why);
    }

    private void releaseBudget() {
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseBudget(); // the connection closed mid-body
    }

    /** Says why in a FAILURE, then closes; further input is discarded. */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
        long code = ErrorCodes.DQLITE_PROTO;
        LOG.debugf("closing dqlite connection from %s: %s", ctx.channel().remoteAddress(), why);
        refused = true;
        header = null;
        in.skipBytes(in.readableBytes());
        ctx.channel().config().setAutoRead(false);
        byte[] failure = new Response.Failure(code, why).toBytes();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(failure)).addListener(ChannelFutureListener.CLOSE);
    }
}
