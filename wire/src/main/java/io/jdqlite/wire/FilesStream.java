package io.jdqlite.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A FILES answer (to DUMP) handled a piece at a time instead of as one {@link Response.Files}, for files too
 * large to hold in memory. A sender writes {@link #start}, then for each file {@link #prefix}, its content and
 * {@link #padding}; a receiver reads it back with a {@link Reader}. The bytes are exactly those of
 * Response.Files, so a client that reads the whole message sees no difference.
 */
public final class FilesStream {
    /** A file of the answer: its name and content length. */
    public record Entry(String name, long size) {
        public Entry {
            Objects.requireNonNull(name, "name");
            if (size < 0) {
                throw new IllegalArgumentException("negative file size " + size);
            }
        }
    }

    private FilesStream() {
    }

    /**
     * The body length of an answer holding {@code files}.
     *
     * @throws ProtocolException SQLITE_TOOBIG when that is more than a message header can announce
     */
    public static long bodyLength(List<Entry> files) {
        long length = Protocol.WORD_SIZE;
        for (Entry f : files) {
            if (f.size() > MessageHeader.MAX_BODY_LENGTH) {
                length = Long.MAX_VALUE; // and no overflow below
                break;
            }
            length += Protocol.pad(f.name().getBytes(StandardCharsets.UTF_8).length + 1L) + Protocol.WORD_SIZE
                    + Protocol.pad(f.size());
        }
        if (length > MessageHeader.MAX_BODY_LENGTH) {
            throw new ProtocolException(ErrorCodes.SQLITE_TOOBIG, "the files come to more than one message can hold ("
                    + MessageHeader.MAX_BODY_LENGTH + " bytes: its header counts 8-byte words in 32 bits)");
        }
        return length;
    }

    /** The message header and the file count: what comes before the first file. */
    public static byte[] start(List<Entry> files) {
        byte[] header = MessageHeader.encode(bodyLength(files), ResponseType.FILES.code(), 0);
        byte[] out = Arrays.copyOf(header, header.length + Protocol.WORD_SIZE);
        ByteBuffer.wrap(out, header.length, Protocol.WORD_SIZE).order(ByteOrder.LITTLE_ENDIAN).putLong(files.size());
        return out;
    }

    /** What comes before a file's content: its name and size. */
    public static byte[] prefix(Entry file) {
        return new MessageWriter(64).putText(file.name()).putUint64(file.size()).toByteArray();
    }

    /** The zeros after a content of {@code size} bytes, up to the next 8-byte boundary. */
    public static byte[] padding(long size) {
        return new byte[(int) (Protocol.pad(size) - size)];
    }

    /**
     * Reads a FILES body from a stream: {@link #count}, then for each file {@link #next} and its content with
     * {@link #read} until -1, then {@link #finish}. Every length is checked against what is left of the body
     * before anything is read or allocated for it, so malformed input ends in a ProtocolException, and a
     * stream that ends early in an EOFException.
     */
    public static final class Reader {
        /** The longest file name read: names are database names, which nodes keep short. */
        static final int MAX_NAME_BYTES = 4096;

        private final InputStream in;
        private final long length;
        private final byte[] word = new byte[Protocol.WORD_SIZE];
        private long position;
        private long files = -1;
        private long filesRead;
        private long contentLeft;
        private int paddingLeft;

        /** Reads the {@code length} bytes of a FILES body from {@code body}, and nothing after them. */
        public Reader(InputStream body, long length) {
            if (length < 0 || length % Protocol.WORD_SIZE != 0) {
                throw new IllegalArgumentException("a body length is a multiple of 8: " + length);
            }
            this.in = Objects.requireNonNull(body, "body");
            this.length = length;
        }

        /** Body bytes read so far. */
        public long position() {
            return position;
        }

        public long length() {
            return length;
        }

        /** The number of files; read first. */
        public int count() throws IOException {
            if (files >= 0) {
                throw new IllegalStateException("the count is read already");
            }
            long n = readUint64();
            // each file takes at least two words: its name and its size
            if (n < 0 || n > (length - position) / (2 * Protocol.WORD_SIZE)) {
                throw new ProtocolException("malformed FILES: " + Long.toUnsignedString(n) + " files cannot fit in "
                        + (length - position) + " bytes");
            }
            files = n;
            return (int) n;
        }

        /** The name and size of the next file, whose content {@link #read} then gives. */
        public Entry next() throws IOException {
            if (files < 0 || filesRead == files || contentLeft > 0) {
                throw new IllegalStateException(files < 0 ? "the count is not read yet"
                        : contentLeft > 0 ? "the content of the previous file is not read yet" : "no more files");
            }
            skipPadding();
            String name = readText();
            long size = readUint64();
            long left = length - position;
            if (size < 0 || size > left || Protocol.pad(size) > left) {
                throw new ProtocolException("malformed FILES: file " + name + " of " + Long.toUnsignedString(size)
                        + " bytes cannot fit in the " + left + " bytes left");
            }
            filesRead++;
            contentLeft = size;
            paddingLeft = (int) (Protocol.pad(size) - size);
            return new Entry(name, size);
        }

        /** Reads content of the current file into {@code b}; -1 at its end. */
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (contentLeft == 0) {
                skipPadding();
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, contentLeft));
            if (n < 0) {
                throw ended();
            }
            position += n;
            contentLeft -= n;
            return n;
        }

        /** After the last file's content: checks that the body holds nothing more. */
        public void finish() throws IOException {
            if (files < 0 || filesRead < files || contentLeft > 0) {
                throw new IllegalStateException("the answer is not read to its end");
            }
            skipPadding();
            if (position != length) {
                throw new ProtocolException("malformed FILES: " + (length - position) + " bytes after the last file");
            }
        }

        private void skipPadding() throws IOException {
            if (paddingLeft > 0) {
                readFully(word, paddingLeft);
                paddingLeft = 0;
            }
        }

        private long readUint64() throws IOException {
            readFully(word, Protocol.WORD_SIZE);
            return ByteBuffer.wrap(word).order(ByteOrder.LITTLE_ENDIAN).getLong();
        }

        /** A NUL-terminated UTF-8 name padded to 8, read a word at a time. */
        private String readText() throws IOException {
            byte[] name = new byte[0];
            while (true) {
                readFully(word, Protocol.WORD_SIZE);
                int nul = 0;
                while (nul < Protocol.WORD_SIZE && word[nul] != 0) {
                    nul++;
                }
                if (name.length + nul > MAX_NAME_BYTES) {
                    throw new ProtocolException("malformed FILES: a file name longer than " + MAX_NAME_BYTES + " bytes");
                }
                int start = name.length;
                name = Arrays.copyOf(name, start + nul);
                System.arraycopy(word, 0, name, start, nul);
                if (nul < Protocol.WORD_SIZE) {
                    break;
                }
            }
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(name)).toString();
            } catch (CharacterCodingException e) {
                throw new ProtocolException("malformed FILES: a file name is not valid UTF-8");
            }
        }

        private void readFully(byte[] b, int n) throws IOException {
            if (n > length - position) {
                throw new ProtocolException("malformed FILES: the body of " + length + " bytes ends inside a field");
            }
            int done = 0;
            while (done < n) {
                int r = in.read(b, done, n - done);
                if (r < 0) {
                    throw ended();
                }
                done += r;
                position += r;
            }
        }

        private EOFException ended() {
            return new EOFException("the answer ended after " + position + " of " + length + " bytes");
        }
    }
}
