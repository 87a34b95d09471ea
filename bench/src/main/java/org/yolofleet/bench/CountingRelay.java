package org.yolofleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on loopback that counts the bytes each way: put between a client and a server, it tells what a request
 * costs on the wire, HTTP headers included (what a body count misses: a 304 has no body but is not free). Plain TCP,
 * one thread per direction of each connection; for a few connections at a time.
 */
final class CountingRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    private CountingRelay(ServerSocket listener, InetSocketAddress target) {
        this.listener = listener;
        this.target = target;
    }

    /** Starts relaying {@code 127.0.0.1:<port()>} to {@code target}. */
    static CountingRelay start(InetSocketAddress target) throws IOException {
        CountingRelay relay = new CountingRelay(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), target);
        Thread acceptor = new Thread(relay::accept, "counting-relay");
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Bytes from clients to the server so far. */
    long toServer() {
        return toServer.get();
    }

    /** Bytes from the server to clients so far. */
    long toClient() {
        return toClient.get();
    }

    /** TCP connections relayed so far. */
    long connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getAddress(), target.getPort());
                connections.incrementAndGet();
                pump(client, server, toServer);
                pump(server, client, toClient);
            } catch (IOException closed) {
                // the listener was closed, or the server refused one connection (its client sees the connection end)
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicLong counter) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream input = from.getInputStream(); OutputStream output = to.getOutputStream()) {
                int read;
                while ((read = input.read(buffer)) >= 0) {
                    output.write(buffer, 0, read);
                    counter.addAndGet(read);
                }
            } catch (IOException ended) {
                // either side closed: the connection is over
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "counting-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that failed already
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
