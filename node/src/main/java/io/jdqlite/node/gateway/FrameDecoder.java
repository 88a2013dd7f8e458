package io.jdqlite.node.gateway;

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
 * decode (framing stays intact, so the connection can go on). A wrong version or a message larger
 * than the limit closes the connection: nothing sensible can follow.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = Logger.getLogger(FrameDecoder.class);

    private final int maxMessageSize;
    private boolean handshakeDone;
    private boolean refused;
    private MessageHeader header;

    FrameDecoder(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
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
            if (header == null) {
                if (in.readableBytes() < Protocol.HEADER_SIZE) {
                    return;
                }
                ByteBuffer raw = ByteBuffer.allocate(Protocol.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                in.readBytes(raw);
                raw.flip();
                try {
                    header = MessageHeader.read(raw, maxMessageSize);
                } catch (ProtocolException e) {
                    refuse(ctx, in, e.getMessage());
                    return;
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
            try {
                out.add(Request.read(h, body));
            } catch (ProtocolException e) {
                out.add(new MalformedRequest(e.code(), e.getMessage()));
            }
        }
    }

    /** Says why in a FAILURE, then closes; further input is discarded. */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
        LOG.debugf("closing dqlite connection from %s: %s", ctx.channel().remoteAddress(), why);
        refused = true;
        in.skipBytes(in.readableBytes());
        ctx.channel().config().setAutoRead(false);
        byte[] failure = new Response.Failure(io.jdqlite.wire.ErrorCodes.DQLITE_PROTO, why).toBytes();
        ctx.writeAndFlush(Unpooled.wrappedBuffer(failure)).addListener(ChannelFutureListener.CLOSE);
    }
}
