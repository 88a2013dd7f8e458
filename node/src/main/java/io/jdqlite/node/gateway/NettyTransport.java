package io.jdqlite.node.gateway;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.concurrent.ThreadFactory;

/**
 * The Netty transport of the client port: the native epoll one where it loads (Linux; fewer system calls and
 * less garbage per request than NIO's selector), NIO elsewhere. {@code -Dio.netty.transport.noNative=true}
 * forces NIO.
 */
enum NettyTransport {
    EPOLL, NIO;

    static NettyTransport best() {
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    EventLoopGroup eventLoops(int threads, ThreadFactory threadFactory) {
        return this == EPOLL ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
    }

    Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }
}
