package io.jdqlite.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FilesStreamTest {
    private static final Random RANDOM = new Random(7);

    private static byte[] content(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static final List<Response.FileEntry> SAMPLE = List.of(new Response.FileEntry("app", content(4096 + 3)),
            new Response.FileEntry("app-wal", new byte[0]), new Response.FileEntry("ünï", content(8)),
            new Response.FileEntry("seven1", content(7)));

    /** The pieces a node sends around the file contents. */
    private static byte[] pieced(List<Response.FileEntry> files) {
        List<FilesStream.Entry> entries = files.stream().map(f -> new FilesStream.Entry(f.name(), f.content().length)).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(FilesStream.start(entries));
        for (Response.FileEntry f : files) {
            out.writeBytes(FilesStream.prefix(new FilesStream.Entry(f.name(), f.content().length)));
            out.writeBytes(f.content());
            out.writeBytes(FilesStream.padding(f.content().length));
        }
        return out.toByteArray();
    }

    @Test
    void thePiecesAroundTheContentsAreTheBytesOfAFilesResponse() {
        for (List<Response.FileEntry> files : List.of(SAMPLE, List.<Response.FileEntry>of(),
                List.of(new Response.FileEntry("x", content(1))))) {
            assertThat(pieced(files)).isEqualTo(new Response.Files(files).toBytes());
        }
    }

    @Test
    void aReaderGivesBackEveryFileOfAFilesResponse() throws IOException {
        byte[] message = new Response.Files(SAMPLE).toBytes();
        long length = MessageHeader.bodyLengthOf(ByteBuffer.wrap(message));
        assertThat(MessageHeader.typeOf(ByteBuffer.wrap(message))).isEqualTo(ResponseType.FILES.code());
        FilesStream.Reader r = new FilesStream.Reader(
                new ByteArrayInputStream(message, Protocol.HEADER_SIZE, message.length), length);
        List<Response.FileEntry> read = new ArrayList<>();
        int count = r.count();
        byte[] buf = new byte[1000]; // smaller than a file: content comes in several reads
        for (int i = 0; i < count; i++) {
            FilesStream.Entry e = r.next();
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            for (int n; (n = r.read(buf, 0, buf.length)) >= 0; ) {
                content.write(buf, 0, n);
            }
            assertThat(content.size()).isEqualTo(e.size());
            read.add(new Response.FileEntry(e.name(), content.toByteArray()));
        }
        r.finish();
        assertThat(read).isEqualTo(SAMPLE);
        assertThat(r.position()).isEqualTo(length).isEqualTo(message.length - Protocol.HEADER_SIZE);
    }

    @Test
    void anAnswerAMessageHeaderCannotAnnounceIsRefused() {
        long fits = MessageHeader.MAX_BODY_LENGTH - 8 - 16 - 16; // count, two names and sizes
        assertThat(FilesStream.bodyLength(List.of(new FilesStream.Entry("db", fits), new FilesStream.Entry("db-wal", 0))))
                .isEqualTo(MessageHeader.MAX_BODY_LENGTH);
        assertThat(MessageHeader.bodyLengthOf(ByteBuffer.wrap(FilesStream.start(List.of(new FilesStream.Entry("db", fits),
                new FilesStream.Entry("db-wal", 0)))))).isEqualTo(MessageHeader.MAX_BODY_LENGTH);
        for (long size : new long[] {fits + 1, 40L << 30, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> FilesStream.start(List.of(new FilesStream.Entry("db", size), new FilesStream.Entry("db-wal", 0))))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.SQLITE_TOOBIG))
                    .hasMessageContaining("more than one message can hold");
        }
    }

    private static FilesStream.Reader reader(byte[] body) {
        return new FilesStream.Reader(new ByteArrayInputStream(body), body.length);
    }

    private static byte[] body(Response.Files files) {
        byte[] m = files.toBytes();
        return Arrays.copyOfRange(m, Protocol.HEADER_SIZE, m.length);
    }

    @Test
    void malformedOrTruncatedBodiesFailBeforeAnythingIsAllocated() throws IOException {
        // a size larger than the body
        byte[] body = body(new Response.Files(List.of(new Response.FileEntry("db", content(16)))));
        ByteBuffer.wrap(body, 16, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        FilesStream.Reader r = reader(body);
        r.count();
        assertThatThrownBy(r::next).isInstanceOf(ProtocolException.class).hasMessageContaining("cannot fit");

        // more files than could fit
        byte[] many = body(new Response.Files(List.of()));
        ByteBuffer.wrap(many).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(-1);
        assertThatThrownBy(() -> reader(many).count()).isInstanceOf(ProtocolException.class).hasMessageContaining("files cannot fit");

        // a name without its terminator
        byte[] unterminated = new byte[24];
        unterminated[0] = 1;
        Arrays.fill(unterminated, 8, 24, (byte) 'a');
        FilesStream.Reader u = reader(unterminated);
        u.count();
        assertThatThrownBy(u::next).isInstanceOf(ProtocolException.class).hasMessageContaining("ends inside a field");

        // a stream that ends before the body does
        byte[] whole = body(new Response.Files(List.of(new Response.FileEntry("db", content(100)))));
        FilesStream.Reader t = new FilesStream.Reader(new ByteArrayInputStream(whole, 0, 50), whole.length);
        t.count();
        t.next();
        assertThatThrownBy(() -> {
            byte[] buf = new byte[100];
            while (t.read(buf, 0, buf.length) >= 0) {
                // reading on
            }
        }).isInstanceOf(EOFException.class).hasMessageContaining("ended after 50 of " + whole.length + " bytes");

        // bytes after the last file
        byte[] trailing = Arrays.copyOf(whole, whole.length + 8);
        FilesStream.Reader x = reader(trailing);
        x.count();
        x.next();
        while (x.read(new byte[64], 0, 64) >= 0) {
            // reading on
        }
        assertThatThrownBy(x::finish).isInstanceOf(ProtocolException.class).hasMessageContaining("8 bytes after the last file");
    }
}
