package io.jdqlite.node.gateway;

import io.jdqlite.engine.Engine;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The dqlite wire protocol server of a node: accepts client connections on the client port and
 * serves them with the {@link Engine}. Plain Netty, usable with or without Quarkus.
 */
public final class DqliteServer implements AutoCloseable {
    /**
     * Write buffer watermarks per connection: above the high mark no more answers or result pages are
     * produced, until the client has read down to the low mark.
     */
    static final int LOW_WATERMARK = 64 * 1024;
    static final int HIGH_WATERMARK = 256 * 1024;

    private final Engine engine;
    private final NodeMetadata metadata;
    private final int maxMessageSize;
    private final int pageBytes;
    /** One per node: a flood of failing connections logs a line a second. */
    private final FailureLog failureLog = new FailureLog();
    private final ReceiveBudget receiveBudget;
    private final Set<ConnectionHandler> connections = ConcurrentHashMap.newKeySet();
    private final ConnectionLimit connectionLimit;
    private final NettyTransport transport = NettyTransport.best();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    /** Reads the pages of query results spilled to disk, so that a slow disk never holds up an event loop. */
    private ExecutorService spillReaders;
    private Channel serverChannel;

    /** The default of {@code jdqlite.max-connections}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;

    public DqliteServer(Engine engine, NodeMetadata metadata, int maxMessageSize) {
        this(engine, metadata, maxMessageSize, DEFAULT_MAX_CONNECTIONS);
    }

    public DqliteServer(Engine engine, NodeMetadata metadata, int maxMessageSize, int maxConnections) {
        this(engine, metadata, maxMessageSize, RowsPager.DEFAULT_PAGE_BYTES, maxConnections);
    }

    DqliteServer(Engine engine, NodeMetadata metadata, int maxMessageSize, int pageBytes, int maxConnections) {
        if (maxMessageSize < 64) {
            throw new IllegalArgumentException("maxMessageSize too small: " + maxMessageSize);
        }
        this.engine = Objects.requireNonNull(engine, "engine");
        this.metadata = Objects.requireNonNull(metadata, "metadata");
        this.maxMessageSize = maxMessageSize;
        this.receiveBudget = ReceiveBudget.forMessagesUpTo(maxMessageSize);
        this.pageBytes = pageBytes;
        this.connectionLimit = new ConnectionLimit(maxConnections);
    }

    /** Binds {@code bindHost:port} (port 0: any free port, see {@link #port()}) and starts serving. */
    public synchronized void start(String bindHost, int port) throws IOException {
        if (serverChannel != null) {
            throw new IllegalStateException("already started");
        }
        boss = transport.eventLoops(1, new DefaultThreadFactory("dqlite-accept", true));
        workers = transport.eventLoops(Math.max(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("dqlite-io", true));
        spillReaders = Executors.newFixedThreadPool(2, new DefaultThreadFactory("dqlite-spill-read", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Like dqlite, idle clients are never cut off; keepalive reaps peers that vanished without a FIN.
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATERMARK, HIGH_WATERMARK))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!connectionLimit.tryAcquire(ch.remoteAddress())) {
                            ch.pipeline().addLast(new FrameDecoder(maxMessageSize, receiveBudget),
                                    new RefusedConnection(connectionLimit.refusal()));
                            return;
                        }
                        ch.closeFuture().addListener(f -> connectionLimit.release());
                        ConnectionHandler handler = new ConnectionHandler(
                                new RequestDispatcher(engine, metadata, ch.eventLoop()), pageBytes, failureLog, spillReaders);
                        connections.add(handler);
                        ch.closeFuture().addListener(f -> connections.remove(handler));
                        ch.pipeline().addLast(new FrameDecoder(maxMessageSize, receiveBudget), handler);
                    }
                });
        ChannelFuture bound = bootstrap.bind(new InetSocketAddress(bindHost, port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            shutdownGroups();
            throw new IOException("cannot listen on " + bindHost + ":" + port + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        serverChannel = bound.channel();
    }

    /** The port listened on (useful after binding port 0). */
    public synchronized int port() {
        if (serverChannel == null) {
            throw new IllegalStateException("not started");
        }
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The Netty transport serving the client port (epoll or NIO). */
    String transport() {
        return transport.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The open connections (for tests). */
    Set<ConnectionHandler> connections() {
        return connections;
    }

    /** Stops listening and closes every connection (their sessions roll back open transactions). */
    @Override
    public synchronized void close() {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly();
            serverChannel = null;
        }
        shutdownGroups();
    }

    private void shutdownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            spillReaders.shutdownNow();
            boss = null;
            workers = null;
            spillReaders = null;
        }
    }
}
