package io.jdqlite.engine;

import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.raftlog.segmented.LogSegment;
import org.apache.ratis.server.raftlog.segmented.LogSegmentStartEnd;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.CodedOutputStream;
import org.apache.ratis.util.SizeInBytes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member killed while it appended large entries restarts: Ratis reads back its open log segment, entries as
 * large as the engine makes them followed by the zeros preallocated after them. With 4 MiB entries and the
 * 8 MiB limit of before, the reader failed ("Resetting to invalid mark") on such a segment, and the node could
 * not start again after a kill -9 during a 300 MB INSERT.
 */
class RaftLogReadBackTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {64 << 10, 1 << 20, 4 << 20, 16 << 20})
    void anOpenSegmentOfTheLargestEntriesAndALongZeroTailReadsBack(int maxEntryBytes) throws Exception {
        long limit = Raft.maxLogEntryBytes(maxEntryBytes);
        File segment = tmp.resolve("log_inprogress_7").toFile();
        Random random = new Random(maxEntryBytes);
        try (OutputStream file = Files.newOutputStream(segment.toPath());
             DataOutputStream out = new DataOutputStream(file)) {
            out.write("RaftLog1".getBytes(StandardCharsets.UTF_8));
            for (long index = 7; index <= 8; index++) {
                // a part as large as the engine makes them: maxEntryBytes of pages and page numbers, and headers
                byte[] data = new byte[maxEntryBytes + 512];
                random.nextBytes(data);
                writeEntry(out, LogEntryProto.newBuilder().setTerm(1).setIndex(index)
                        .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
                                .setLogData(ByteString.copyFrom(data)).setCallId(index))
                        .build());
            }
            out.write(new byte[(int) (2 * limit + (1 << 20))]); // preallocated, never written: zeros
        }

        int[] read = {0};
        int entries = LogSegment.readSegmentFile(segment, openSegmentFrom(7), SizeInBytes.valueOf(limit),
                RaftServerConfigKeys.Log.CorruptionPolicy.EXCEPTION, null, e -> read[0]++);
        assertThat(entries).isEqualTo(2);
        assertThat(read[0]).isEqualTo(2);
    }

    /** An entry as Ratis writes it: its length as a varint, the entry, and a CRC32C of both. */
    private static void writeEntry(DataOutputStream out, LogEntryProto entry) throws IOException {
        byte[] body = entry.toByteArray();
        byte[] framed = new byte[CodedOutputStream.computeUInt32SizeNoTag(body.length) + body.length];
        CodedOutputStream coded = CodedOutputStream.newInstance(framed);
        coded.writeUInt32NoTag(body.length);
        coded.writeRawBytes(body);
        coded.flush();
        CRC32C crc = new CRC32C();
        crc.update(framed);
        out.write(framed);
        out.writeInt((int) crc.getValue());
    }

    private static LogSegmentStartEnd openSegmentFrom(long start) throws Exception {
        Method valueOf = LogSegmentStartEnd.class.getDeclaredMethod("valueOf", long.class);
        valueOf.setAccessible(true);
        return (LogSegmentStartEnd) valueOf.invoke(null, start);
    }
}
