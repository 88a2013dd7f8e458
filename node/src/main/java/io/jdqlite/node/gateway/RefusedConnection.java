package io.jdqlite.node.gateway;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * A connection over the node's limit: its first request is answered with a FAILURE saying why, and the
 * connection is closed (after a few seconds if no request comes). Nothing of it reaches the engine.
 */
final class RefusedConnection extends ChannelInboundHandlerAdapter {
    private final String why;
    private boolean answered;

    RefusedConnection(String why) {
        this.why = why;
    }

    /** A refused client that sends nothing is not left holding a socket. */
    static final long SILENT_CLOSE_SECONDS = 5;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            ctx.close();
        }, SILENT_CLOSE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        if (answered) {
            return;
        }
        answered = true;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new Response.Failure(ErrorCodes.SQLITE_BUSY, why).toBytes()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
