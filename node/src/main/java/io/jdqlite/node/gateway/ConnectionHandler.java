package io.jdqlite.node.gateway;

import io.jdqlite.engine.QueryResult;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jboss.logging.Logger;

/**
 * One client connection: serves requests strictly one at a time and in order, as dqlite does.
 * Engine futures complete on engine threads; their results are handed back to this channel's event
 * loop, which alone touches the state below, so nothing here blocks or needs locks.
 *
 * <p>Back-pressure: reading stops while a request waits behind the one in progress, and result
 * pages are produced only while the channel is writable (below its high write watermark), so a
 * client that stops reading holds only its own buffers and never stalls other connections.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class);

    private final RequestDispatcher dispatcher;
    private final int pageBytes;
    private final Deque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The request being served, or null. */
    private Object current;
    /** Pages of the current query's result still to send. */
    private RowsPager pager;
    /** An INTERRUPT arrived for the current query: send EMPTY instead of (more) rows. */
    private boolean interrupted;
    private boolean closed;
    private boolean pumping;

    ConnectionHandler(RequestDispatcher dispatcher, int pageBytes) {
        this.dispatcher = dispatcher;
        this.pageBytes = pageBytes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            return;
        }
        if (msg instanceof Request.Interrupt && isQuery(current) && waiting.isEmpty()) {
            interruptCurrentQuery();
            return;
        }
        waiting.add(msg);
        serveNext();
    }

    private static boolean isQuery(Object request) {
        return request instanceof Request.Query || request instanceof Request.QuerySql;
    }

    /** dqlite stops a running query on INTERRUPT and answers EMPTY in place of further rows. */
    private void interruptCurrentQuery() {
        if (pager != null) {
            pager = null;
            send(new Response.Empty().toBytes());
            finishCurrent();
        } else {
            interrupted = true; // the result has not arrived yet
        }
    }

    private void serveNext() {
        while (current == null && !waiting.isEmpty() && !closed) {
            Object request = waiting.poll();
            current = request;
            interrupted = false;
            dispatcher.handle(request).whenCompleteAsync((reply, error) -> {
                if (request == current) {
                    reply(reply);
                }
            }, ctx.executor()).exceptionally(t -> {
                LOG.warnf(t, "failed to answer %s", request);
                ctx.close();
                return null;
            });
        }
        // keep reading only while nothing queues up behind the request in progress
        ctx.channel().config().setAutoRead(waiting.isEmpty());
    }

    private void reply(Object reply) {
        if (closed) {
            return;
        }
        if (reply instanceof QueryResult result && !interrupted) {
            pager = new RowsPager(result, pageBytes);
            pump();
            return;
        }
        if (reply instanceof QueryResult) {
            send(new Response.Empty().toBytes());
        } else {
            send(((Response) reply).toBytes());
        }
        finishCurrent();
    }

    /**
     * Sends pages while the channel takes them; resumed by {@link #channelWritabilityChanged}. Netty
     * may report writability changes from inside a write, hence the re-entrance guard.
     */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            while (pager != null && ctx.channel().isWritable() && !closed) {
                ByteBuffer page = pager.nextPage();
                if (pager.isDone()) {
                    pager = null;
                    sendBuffer(page);
                    finishCurrent();
                    return;
                }
                sendBuffer(page);
            }
        } finally {
            pumping = false;
        }
    }

    private void finishCurrent() {
        current = null;
        interrupted = false;
        serveNext();
    }

    private void send(byte[] message) {
        sendBuffer(ByteBuffer.wrap(message));
    }

    private void sendBuffer(ByteBuffer message) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(message)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            pump();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        pager = null;
        waiting.clear();
        dispatcher.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debugf(cause, "dqlite connection from %s failed", ctx.channel().remoteAddress());
        ctx.close();
    }
}
