package io.jdqlite.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Maps database names to file names (and back) so any dqlite database name gets its own file. */
final class DatabaseNames {
    static final String SUFFIX = ".sqlite";
    private static final int MAX_NAME_BYTES = 200;

    private DatabaseNames() {
    }

    static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new EngineException(ErrorCodes.SQLITE_MISUSE, "database name must not be empty");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new EngineException(ErrorCodes.SQLITE_MISUSE, "database name longer than " + MAX_NAME_BYTES + " bytes");
        }
        if (name.indexOf('\0') >= 0) {
            throw new EngineException(ErrorCodes.SQLITE_MISUSE, "database name must not contain NUL");
        }
    }

    /** Letters, digits, '-', '_' and '.' stay; every other byte becomes %XX; a leading '.' too. */
    static String toFileName(String name) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                    || b == '-' || b == '_' || (b == '.' && i > 0);
            if (plain) {
                sb.append((char) b);
            } else {
                sb.append('%').append(String.format("%02X", b));
            }
        }
        return sb.append(SUFFIX).toString();
    }

    static String fromFileName(String fileName) {
        String base = fileName.substring(0, fileName.length() - SUFFIX.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            if (c == '%' && i + 2 < base.length()) {
                out.write(Integer.parseInt(base.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static boolean isDatabaseFile(String fileName) {
        return fileName.endsWith(SUFFIX);
    }
}
