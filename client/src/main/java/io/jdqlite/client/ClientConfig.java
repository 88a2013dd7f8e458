package io.jdqlite.client;

import io.jdqlite.wire.HostPort;
import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/** Where and how a {@link DqliteClient} connects. Immutable; see {@link #builder()}. */
public final class ClientConfig {
    /**
     * Default {@link #maxMessageSize()}: room for one row holding a value of SQLite's default maximum length
     * (1,000,000,000 bytes), which C dqlite clients read too.
     */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = (1 << 30) + (1 << 20);
    /** The most a Java array holds. */
    static final int MAX_MESSAGE_SIZE_LIMIT = Integer.MAX_VALUE - 8;

    private final List<String> addresses;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final Duration leaderSearchTimeout;
    private final Duration interruptTimeout;
    private final SSLContext sslContext;
    private final int maxMessageSize;
    private final UnaryOperator<String> addressTranslator;

    private ClientConfig(Builder b) {
        if (b.addresses.isEmpty()) {
            throw new IllegalArgumentException("at least one node address (host:port) is required");
        }
        for (String a : b.addresses) {
            HostPort.parse(a); // fails early with the bad address
        }
        this.addresses = List.copyOf(b.addresses);
        this.connectTimeout = positive(b.connectTimeout, "connectTimeout");
        this.requestTimeout = positive(b.requestTimeout, "requestTimeout");
        this.leaderSearchTimeout = positive(b.leaderSearchTimeout, "leaderSearchTimeout");
        this.interruptTimeout = positive(b.interruptTimeout, "interruptTimeout");
        this.sslContext = b.sslContext;
        if (b.maxMessageSize < 1024 || b.maxMessageSize > MAX_MESSAGE_SIZE_LIMIT) {
            throw new IllegalArgumentException("maxMessageSize must be between 1024 and " + MAX_MESSAGE_SIZE_LIMIT
                    + " bytes, got " + b.maxMessageSize);
        }
        this.maxMessageSize = b.maxMessageSize;
        this.addressTranslator = Objects.requireNonNull(b.addressTranslator, "addressTranslator");
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> addresses() {
        return addresses;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** A reply slower than this fails the request and closes its connection. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How long {@link DqliteClient#open} keeps looking for a leader. */
    public Duration leaderSearchTimeout() {
        return leaderSearchTimeout;
    }

    /**
     * How long {@link DqliteConnection#interrupt} waits for the node to confirm that the statement stopped
     * before it closes the connection instead.
     */
    public Duration interruptTimeout() {
        return interruptTimeout;
    }

    /**
     * The largest reply read, header included (a page of rows holds at least one row, however large): a larger
     * one fails its request with SQLITE_TOOBIG and closes the connection, rather than the client allocating
     * whatever a node announces. Dumps to a file are streamed and not bound by it.
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** TLS when set, plain TCP otherwise. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /**
     * Where this client dials a node address, those given and those nodes name (the leader's); the identity by
     * default. For a client outside the cluster's network: nodes name each other by addresses it cannot reach
     * (Kubernetes pod DNS names behind port-forwards, NAT), and this maps them to ones it can.
     */
    public UnaryOperator<String> addressTranslator() {
        return addressTranslator;
    }

    public static final class Builder {
        private final List<String> addresses = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration leaderSearchTimeout = Duration.ofSeconds(15);
        private Duration interruptTimeout = Duration.ofSeconds(5);
        private SSLContext sslContext;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private UnaryOperator<String> addressTranslator = UnaryOperator.identity();

        public Builder addresses(List<String> v) {
            addresses.clear();
            v.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(addresses::add);
            return this;
        }

        public Builder connectTimeout(Duration v) { this.connectTimeout = v; return this; }
        public Builder requestTimeout(Duration v) { this.requestTimeout = v; return this; }
        public Builder leaderSearchTimeout(Duration v) { this.leaderSearchTimeout = v; return this; }
        public Builder interruptTimeout(Duration v) { this.interruptTimeout = v; return this; }
        public Builder sslContext(SSLContext v) { this.sslContext = v; return this; }
        public Builder maxMessageSize(int v) { this.maxMessageSize = v; return this; }
        public Builder addressTranslator(UnaryOperator<String> v) { this.addressTranslator = v; return this; }

        public ClientConfig build() {
            return new ClientConfig(this);
        }
    }
}
