package io.jdqlite.engine;

import java.util.ArrayList;
import java.util.List;

/** A configuration as text, one member per line: {@code id address raftAddress role}. */
final class Members {
    private Members() {
    }

    static String format(List<Member> members) {
        StringBuilder b = new StringBuilder();
        for (Member m : members) {
            b.append(Long.toUnsignedString(m.id())).append(' ').append(m.address()).append(' ')
                    .append(m.raftAddress()).append(' ').append(m.role().name()).append('\n');
        }
        return b.toString();
    }

    static List<Member> parse(String text) {
        List<Member> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split(" ");
            if (f.length != 4) {
                throw new IllegalArgumentException("bad member line: " + line);
            }
            out.add(new Member(Long.parseUnsignedLong(f[0]), f[1], f[2], Role.valueOf(f[3])));
        }
        return out;
    }
}
