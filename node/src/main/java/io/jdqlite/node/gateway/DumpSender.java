package io.jdqlite.node.gateway;

import io.jdqlite.engine.DatabaseDump;
import io.jdqlite.wire.FilesStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Sends a dump as dqlite's answer to DUMP: FILES with the database file and an empty WAL (the file holds
 * every committed transaction). The framing goes out in small buffers and the file straight from disk
 * (a zero-copy {@link DefaultFileRegion}: the pipeline has no TLS handler that would need the bytes), so a
 * dump of any size takes no memory. The bytes are those of {@code Response.Files}.
 */
final class DumpSender {
    private DumpSender() {
    }

    /** The files of the answer: the database file, then its WAL. */
    static List<FilesStream.Entry> files(DatabaseDump dump) {
        return List.of(new FilesStream.Entry(dump.name(), dump.size()), new FilesStream.Entry(dump.name() + "-wal", 0));
    }

    /**
     * Writes the answer; the future completes when all of it is written, or failed (connection closed). The
     * dump is closed (its file deleted) then, whatever the outcome, or at once if it cannot be sent.
     */
    static ChannelFuture send(ChannelHandlerContext ctx, DatabaseDump dump) {
        ChannelFuture last;
        try {
            List<FilesStream.Entry> files = files(dump);
            byte[][] head = {FilesStream.start(files), FilesStream.prefix(files.get(0))};
            byte[][] tail = {FilesStream.padding(dump.size()), FilesStream.prefix(files.get(1))};
            DefaultFileRegion content = dump.size() == 0 ? null
                    : new DefaultFileRegion(FileChannel.open(dump.file(), StandardOpenOption.READ), 0, dump.size());
            ctx.write(Unpooled.wrappedBuffer(head)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (content != null) {
                ctx.write(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE); // releasing it closes the file
            }
            last = ctx.writeAndFlush(Unpooled.wrappedBuffer(tail));
        } catch (IOException | RuntimeException e) {
            dump.close();
            return ctx.newFailedFuture(e);
        }
        // Writes complete in order, and a failed one closes the channel, which fails those after it: the
        // last one's outcome is the answer's.
        last.addListener(f -> dump.close());
        return last;
    }
}
