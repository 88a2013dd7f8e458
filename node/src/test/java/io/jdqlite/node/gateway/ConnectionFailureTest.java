package io.jdqlite.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.jdqlite.wire.ErrorCodes;
import io.jdqlite.wire.MessageHeader;
import io.jdqlite.wire.Protocol;
import io.jdqlite.wire.Response;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** Failures of a connection's pipeline: logged loudly but rate-limited, answered with a FAILURE, closed. */
class ConnectionFailureTest {
    private record Line(Logger.Level level, String message, Throwable thrown) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final AtomicLong nanos = new AtomicLong(123);
    private final FailureLog failureLog = new FailureLog(new Logger("test") {
        @Override
        protected void doLog(Level level, String fqcn, Object message, Object[] params, Throwable thrown) {
            lines.add(new Line(level, String.valueOf(message), thrown));
        }

        @Override
        protected void doLogf(Level level, String fqcn, String format, Object[] params, Throwable thrown) {
            lines.add(new Line(level, String.format(format, params), thrown));
        }

        @Override
        public boolean isEnabled(Level level) {
            return true;
        }
    }, TimeUnit.SECONDS.toNanos(1), nanos::get);

    private EmbeddedChannel connection() {
        return new EmbeddedChannel(new FrameDecoder(1 << 20, new ReceiveBudget(1L << 30)),
                new ConnectionHandler(new RequestDispatcher(null, null, Runnable::run), RowsPager.DEFAULT_PAGE_BYTES, failureLog, Runnable::run));
    }

    private static Response.Failure failureSent(EmbeddedChannel ch) {
        ByteBuf out = ch.readOutbound();
        assertThat(out).as("a FAILURE for the client").isNotNull();
        try {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            MessageHeader h = MessageHeader.read(buf.slice(0, Protocol.HEADER_SIZE), Integer.MAX_VALUE);
            Response r = Response.read(h, buf.slice(Protocol.HEADER_SIZE, h.bodyLength()), Protocol.CLUSTER_FORMAT_V1);
            assertThat(r).isInstanceOf(Response.Failure.class);
            return (Response.Failure) r;
        } finally {
            out.release();
        }
    }

    @Test
    void outOfMemoryIsAnsweredWithNomemLoggedAsErrorAndClosed() {
        EmbeddedChannel ch = connection();
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        ch.pipeline().fireExceptionCaught(oom);
        Response.Failure failure = failureSent(ch);
        assertThat(failure.code()).isEqualTo(ErrorCodes.SQLITE_NOMEM);
        assertThat(failure.message()).isEqualTo("out of memory");
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).containsExactly(new Line(Logger.Level.ERROR, "dqlite connection from embedded failed", oom));
    }

    @Test
    void otherFailuresAreInternalErrorsLoggedAsWarnings() {
        EmbeddedChannel ch = connection();
        IllegalStateException bug = new IllegalStateException("bug");
        // a decoder's failure comes wrapped
        ch.pipeline().fireExceptionCaught(new DecoderException(bug));
        Response.Failure failure = failureSent(ch);
        assertThat(failure.code()).isEqualTo(ErrorCodes.SQLITE_INTERNAL);
        assertThat(failure.message()).contains("IllegalStateException");
        assertThat(ch.isOpen()).isFalse();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).level()).isEqualTo(Logger.Level.WARN);
        assertThat(lines.get(0).thrown()).isSameAs(bug);
    }

    @Test
    void aBrokenSocketIsRoutine() {
        for (IOException e : List.of(new IOException("Connection reset by peer"), new SocketException("Broken pipe"))) {
            EmbeddedChannel ch = connection();
            ch.pipeline().fireExceptionCaught(e);
            assertThat((Object) ch.readOutbound()).isNull();
            assertThat(ch.isOpen()).isFalse();
        }
        assertThat(lines).isEmpty(); // DEBUG only, not through the rate-limited log
    }

    @Test
    void aFloodOfFailuresLogsOneLineASecondAndCountsTheRest() {
        for (int i = 0; i < 5; i++) {
            EmbeddedChannel ch = connection();
            ch.pipeline().fireExceptionCaught(new OutOfMemoryError("Java heap space"));
            // every client is still told, only the log is spared
            assertThat(failureSent(ch).code()).isEqualTo(ErrorCodes.SQLITE_NOMEM);
        }
        assertThat(lines).hasSize(1);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(failureLog.log(new IllegalStateException("x"), "a")).isFalse();
        assertThat(lines).hasSize(1);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(failureLog.log(new IllegalStateException("y"), "b")).isTrue();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).message()).isEqualTo(
                "dqlite connection from b failed (5 similar failures since the last report not logged)");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(failureLog.log(new IllegalStateException("z"), "c")).isTrue();
        assertThat(lines.get(2).message()).isEqualTo("dqlite connection from c failed");
    }
}
