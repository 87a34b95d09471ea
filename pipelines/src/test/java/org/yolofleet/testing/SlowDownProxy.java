package org.yolofleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP relay in front of an S3 server that answers the first {@code failures} connections with
 * {@code 503 Slow Down} (S3's throttling answer, which S3Proxy cannot produce) and relays every later connection byte
 * for byte to the server. Each refused connection reads the request (head and Content-Length body) and is closed
 * ({@code Connection: close}), so every retry of a client arrives on a new connection and counts once. The Host header
 * is relayed unchanged, so SigV4 signatures still verify.
 */
public final class SlowDownProxy implements AutoCloseable {
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final AtomicInteger remainingFailures;
    private final AtomicInteger refused = new AtomicInteger();
    private final Thread acceptor;

    private SlowDownProxy(ServerSocket server, InetSocketAddress target, int failures) {
        this.server = server;
        this.target = target;
        this.remainingFailures = new AtomicInteger(failures);
        this.acceptor = new Thread(this::accept, "slow-down-proxy");
        this.acceptor.setDaemon(true);
    }

    /** Starts relaying to {@code targetEndpoint} ({@code http://host:port}), refusing the first {@code failures} connections. */
    public static SlowDownProxy start(String targetEndpoint, int failures) throws IOException {
        java.net.URI uri = java.net.URI.create(targetEndpoint);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        SlowDownProxy proxy = new SlowDownProxy(server, new InetSocketAddress(uri.getHost(), uri.getPort()), failures);
        proxy.acceptor.start();
        return proxy;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests were answered with 503 so far. */
    public int refused() {
        return refused.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread handler = new Thread(() -> handle(client), "slow-down-proxy-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            if (remainingFailures.getAndDecrement() > 0) {
                refuse(client);
                return;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(target, 5000);
                Thread toServer = pump(client.getInputStream(), upstream.getOutputStream(), upstream);
                pump(upstream.getInputStream(), client.getOutputStream(), client).join();
                toServer.join(1000);
            }
        } catch (IOException | InterruptedException ignored) {
            // a connection the client or the server dropped: nothing to relay any more
        }
    }

    private void refuse(Socket client) throws IOException {
        InputStream input = client.getInputStream();
        String head = readHead(input);
        OutputStream output = client.getOutputStream();
        if (head.toLowerCase(Locale.ROOT).contains("expect: 100-continue")) {
            // let the client send its body, so it reads the 503 rather than failing on a closed connection mid-body
            output.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            output.flush();
        }
        input.skipNBytes(contentLength(head));
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code>"
                + "<Message>Please reduce your request rate.</Message></Error>").getBytes(StandardCharsets.UTF_8);
        String response = "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        output.write(response.getBytes(StandardCharsets.US_ASCII));
        output.write(body);
        output.flush();
        refused.incrementAndGet();
    }

    private static String readHead(InputStream input) throws IOException {
        StringBuilder head = new StringBuilder();
        int matched = 0;
        while (matched < HEAD_END.length) {
            int next = input.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
            matched = next == HEAD_END[matched] ? matched + 1 : (next == HEAD_END[0] ? 1 : 0);
        }
        return head.toString();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    private static Thread pump(InputStream from, OutputStream to, Socket toSocket) {
        Thread thread = new Thread(() -> {
            try {
                from.transferTo(to);
                toSocket.shutdownOutput();
            } catch (IOException ignored) {
                // the other side closed
            }
        }, "slow-down-proxy-pump");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
