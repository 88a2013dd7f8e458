package io.jdqlite.cli.bench;

/** dqlite-benchmark's workloads (go-dqlite benchmark/worker.go): same table, statements and mix. */
public enum Workload {
    /** Every operation writes a new random key. */
    KVWRITE,
    /** Half the operations read a key this worker wrote, half write a new one. */
    KVREADWRITE;

    static final String SCHEMA = "CREATE TABLE IF NOT EXISTS model (key TEXT, value TEXT, UNIQUE(key))";
    static final String WRITE = "INSERT OR REPLACE INTO model(key, value) VALUES(?, ?)";
    static final String READ = "SELECT value FROM model WHERE key = ?";

    public static Workload parse(String s) {
        for (Workload w : values()) {
            if (w.name().equalsIgnoreCase(s)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + s + "' (kvwrite or kvreadwrite)");
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
