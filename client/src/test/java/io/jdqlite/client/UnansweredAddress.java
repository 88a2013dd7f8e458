package io.jdqlite.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback address whose connects get no answer, as from an address that drops packets: a listener that
 * never accepts, its accept queue filled up, so that Linux drops further SYNs.
 */
public final class UnansweredAddress implements AutoCloseable {
    private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    private final List<Socket> queued = new ArrayList<>();

    public UnansweredAddress() throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(listener.getLocalSocketAddress(), 300);
                queued.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return;
            }
        }
        close();
        throw new IllegalStateException("the accept queue never filled up");
    }

    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Whether {@code t} is blocked in a socket connect. */
    public static boolean isConnecting(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getMethodName().equals("connect") && f.getClassName().startsWith("java.net.")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        for (Socket s : queued) {
            s.close();
        }
        listener.close();
    }
}
