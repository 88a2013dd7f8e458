package io.jdqlite.node.gateway;

import io.jdqlite.engine.DatabaseDump;
import io.jdqlite.engine.QueryResult;
import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.Request;
import io.jdqlite.wire.Response;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One client connection: serves requests strictly one at a time and in order, as dqlite does.
 * Engine futures complete on engine threads; their results are handed back to this channel's event
 * loop, which alone touches the state below, so nothing here blocks or needs locks.
 *
 * <p>Back-pressure: the next request is served only while the channel is writable (its outbound
 * buffer below the high write watermark), result pages are produced only while it is writable, and
 * reading stops while a request waits to be served or while the client leaves answers unread. So a
 * client that pipelines requests and never reads holds on the server at most the high watermark plus
 * one answer, plus what the decoder holds (one read, at most a maximal message), and never stalls
 * other connections. A dump's answer is sent from its file, and counts as served only once written.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = Logger.getLogger(ConnectionHandler.class);

    private final RequestDispatcher dispatcher;
    private final int pageBytes;
    private final FailureLog failures;
    /** Reads the pages of results spilled to disk, off the event loop. */
    private final Executor spillReader;
    private final Deque<Object> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    /** The request being served, or null. */
    private Object current;
    /** Pages of the current query's result still to send. */
    private ResultPages pager;
    /** An INTERRUPT arrived for the current query: send EMPTY instead of (more) rows. */
    private boolean interrupted;
    private boolean closed;
    private boolean pumping;
    /** A {@link #pump} is queued on the event loop, to go on after other work had its turn. */
    private boolean pumpQueued;
    /** Requests handed to the dispatcher so far. */
    private long served;

    ConnectionHandler(RequestDispatcher dispatcher, int pageBytes, FailureLog failures, Executor spillReader) {
        this.dispatcher = dispatcher;
        this.pageBytes = pageBytes;
        this.failures = failures;
        this.spillReader = spillReader;
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
            dropPager();
            send(new Response.Empty().toBytes());
            finishCurrent();
        } else {
            interrupted = true; // the result has not arrived yet: stop the engine working on it
            dispatcher.interruptQuery();
        }
    }

    /**
     * Starts the next request unless one is in progress or the client has not taken the previous
     * answers yet (not writable): then {@link #channelWritabilityChanged} resumes.
     */
    private void serveNext() {
        while (current == null && !waiting.isEmpty() && !closed && ctx.channel().isWritable()) {
            Object request = waiting.poll();
            current = request;
            interrupted = false;
            served++;
            CompletableFuture<Object> answer = dispatcher.handle(request);
            answer.whenCompleteAsync((reply, error) -> {
                if (request == current) {
                    if (error != null) {
                        fail(error);
                    } else {
                        reply(reply);
                    }
                } else {
                    discard(reply);
                }
            }, ctx.executor()).exceptionally(t -> {
                if (unwrap(t) instanceof RejectedExecutionException) {
                    discard(answer.getNow(null)); // the event loop is gone: nobody else will
                }
                fail(t);
                return null;
            });
        }
        updateAutoRead();
    }

    /**
     * Reads only while nothing waits to be served, and not while the client leaves answers unread:
     * what it sends meanwhile stays in its socket. During a query reading goes on all the same, so
     * that an INTERRUPT can stop the rows the client is not reading; anything else that arrives then
     * waits in {@link #waiting}, which stops reading again.
     */
    private void updateAutoRead() {
        boolean read = !closed && waiting.isEmpty() && (ctx.channel().isWritable() || isQuery(current));
        ctx.channel().config().setAutoRead(read);
    }

    private void reply(Object reply) {
        if (closed) {
            discard(reply);
            return;
        }
        if (reply instanceof DatabaseDump dump) {
            // In progress until written: a file region counts nothing toward the write watermark, so
            // without this the next request (another dump: another copy on disk) would start at once.
            DumpSender.send(ctx, dump).addListener(written -> {
                if (written.isSuccess()) {
                    finishCurrent();
                } else {
                    ctx.close();
                }
            });
            return;
        }
        if (reply instanceof QueryResult result && !interrupted) {
            RowsPager pages = new RowsPager(result, pageBytes);
            pager = result.spilled() ? new PrefetchedPages(pages, spillReader, ctx.executor(), this::pump) : pages;
            pump();
            return;
        }
        if (reply instanceof QueryResult || interrupted) {
            discard(reply);
            send(new Response.Empty().toBytes()); // an interrupted query ends with EMPTY, however it ended
        } else {
            send(((Response) reply).toBytes());
        }
        finishCurrent();
    }

    /**
     * Bytes of pages sent in one turn of the event loop. A client that reads as fast as pages come keeps the
     * channel writable; without a turn's limit the whole result would go out in one go, while its INTERRUPT
     * and the other connections of this event loop wait.
     */
    static final int PUMP_TURN_BYTES = 64 * 1024;

    /**
     * Sends pages while the channel takes them, {@link #PUMP_TURN_BYTES} per turn of the event loop;
     * resumed by {@link #channelWritabilityChanged}. Netty may report writability changes from inside a
     * write, hence the re-entrance guard.
     */
    private void pump() {
        if (pumping) {
            return;
        }
        pumping = true;
        try {
            int sent = 0;
            while (pager != null && ctx.channel().isWritable() && !closed) {
                if (sent >= PUMP_TURN_BYTES) {
                    queuePump();
                    return;
                }
                ResultPages.Page page = pager.next();
                if (page == null) {
                    return; // being read from disk: pump() runs again once it is here
                }
                sent += page.bytes().remaining();
                if (page.last()) {
                    pager = null;
                    sendBuffer(page.bytes());
                    finishCurrent();
                    return;
                }
                sendBuffer(page.bytes());
            }
        } catch (RuntimeException e) {
            fail(e); // a spill file that cannot be read back, say: a FAILURE, not a client left waiting
        } finally {
            pumping = false;
        }
    }

    /**
     * Goes on pumping once the event loop has read what arrived meanwhile (an INTERRUPT, say). Scheduled, not
     * executed: a task queued by a running task runs in the same batch of tasks (up to 64 before Netty looks
     * at the sockets again), while a scheduled one waits for the loop's next look at them.
     */
    private void queuePump() {
        if (!pumpQueued) {
            pumpQueued = true;
            ctx.executor().schedule(() -> {
                pumpQueued = false;
                pump();
            }, 0, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** An answer that will not be sent (or not all of it): a dump's file, or a result's spill file, goes. */
    private static void discard(Object reply) {
        if (reply instanceof DatabaseDump dump) {
            dump.close();
        } else if (reply instanceof QueryResult result) {
            result.close();
        }
    }

    /** The current result's remaining pages will not be sent. */
    private void dropPager() {
        ResultPages p = pager;
        pager = null;
        if (p != null) {
            p.close();
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
        // starts what waited for the client to catch up, and reads or stops reading accordingly
        serveNext();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        dropPager();
        waiting.clear();
        dispatcher.close();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause);
    }

    /**
     * The connection's own machinery failed (request failures are FAILURE answers of the dispatcher).
     * A broken socket is routine: DEBUG. Anything else is a bug or an exhausted resource: logged with
     * its stack trace, rate-limited per node, and the client is told in a FAILURE before the close.
     */
    private void fail(Throwable cause) {
        Throwable t = unwrap(cause);
        Object remote = ctx.channel().remoteAddress(); // before the close, which may forget it
        if (t instanceof IOException || t instanceof RejectedExecutionException) {
            // reset, broken pipe, ...; or the event loop is shutting down with the server
            LOG.debugf(t, "dqlite connection from %s failed", remote);
            ctx.close();
            return;
        }
        if (!ctx.executor().inEventLoop()) {
            failures.log(t, remote);
            ctx.close();
            return;
        }
        boolean wasOpen = !closed;
        // stop serving and drop what is queued first: it may be what exhausted the memory
        closed = true;
        dropPager();
        waiting.clear();
        Channel ch = ctx.channel();
        ch.config().setAutoRead(false);
        try {
            // Answers go out as whole messages, so the stream is at a message boundary and a FAILURE
            // fits: it answers the request in progress (in place of its remaining rows, as dqlite does
            // when a query fails midway) or the one being received. Not when the client is not
            // reading: it would never get it, and waiting for that write would keep the connection.
            if (wasOpen && ch.isActive() && ch.isWritable()) {
                long code = t instanceof OutOfMemoryError ? ErrorCodes.SQLITE_NOMEM : ErrorCodes.SQLITE_INTERNAL;
                String message = t instanceof OutOfMemoryError ? "out of memory"
                        : "internal error (" + t.getClass().getSimpleName() + ")";
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new Response.Failure(code, message).toBytes()))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        } catch (Throwable again) {
            ctx.close(); // still out of memory, say: at least the connection goes
        }
        failures.log(t, remote);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException || t instanceof DecoderException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** For tests: a consistent view of this connection, taken on its event loop. */
    record State(long served, int waiting, boolean busy, boolean writable, boolean autoRead, long pendingBytes) {
    }

    State state() throws Exception {
        return ctx.executor().submit(() -> {
            Channel ch = ctx.channel();
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            return new State(served, waiting.size(), current != null, ch.isWritable(), ch.config().isAutoRead(),
                    out == null ? 0 : out.totalPendingWriteBytes());
        }).get(10, TimeUnit.SECONDS);
    }
}
