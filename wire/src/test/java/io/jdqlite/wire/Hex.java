package io.jdqlite.wire;

import java.util.HexFormat;

final class Hex {
    private Hex() {
    }

    /** Bytes from hex digits; spaces, '|' and newlines are ignored. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("[\\s|]", ""));
    }

    static String of(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
