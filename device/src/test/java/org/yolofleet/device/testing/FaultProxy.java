package org.yolofleet.device.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * A loopback HTTP/1.1 proxy of our own between a client (the agent's S3 or HTTPS reader) and an origin (S3Proxy, a JDK
 * {@code HttpServer}), that breaks chosen requests the way a flaky link or a throttling S3 does ({@link Fault}): answer
 * 500 or 503 {@code SlowDown}, drop the connection after N body bytes, trickle the body, delay, close without answering.
 *
 * <p>Point the client's endpoint at {@link #uri()} (the proxy forwards origin-form requests to its origin) or use it as
 * an HTTP proxy (absolute-form requests, {@code GET http://host:port/path}, go where they say). Requests are forwarded
 * byte for byte, headers included ({@code Host}, {@code Range}, {@code Authorization}: an S3 signature stays valid),
 * on a fresh origin connection each; only hop-by-hop headers change. The client's connection is kept alive between
 * requests unless a fault closes it. A request with {@code Expect: 100-continue} is answered {@code 100 Continue} by the
 * proxy. A chunked request or response body is de-chunked and sent with a {@code Content-Length}.
 *
 * <p>Scripting: {@link #script} queues faults for the next matching requests, one each, in order; {@link #always} sets
 * the fault of every other matching request; everything else passes through. Every request is recorded as an
 * {@link Exchange} (method, path, Range, fault, status, body bytes written to the client). {@link #close()} stops the
 * proxy and closes open connections.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(s3.endpoint())) {
 *     proxy.script(FaultProxy.request("GET", "/model.onnx"), Fault.dropAfter(40_000), Fault.slowDown());
 *     ... the agent syncs through proxy.uri() ...
 *     long downloaded = proxy.bodyBytes("GET", "/bucket/releases/m/v/model.onnx");
 * }
 * }</pre>
 */
public final class FaultProxy implements Closeable {
    /** Headers that belong to one connection and are not forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade", "expect", "content-length");
    private static final int BUFFER = 16 * 1024;
    private static final int MAXIMUM_HEAD_BYTES = 64 * 1024;

    /** A request as the proxy read it, for matching. Header names are lower case. */
    public record Request(String method, String path, String query, Map<String, String> headers) {
        public Request {
            requireNonNull(method, "method");
            requireNonNull(path, "path");
            requireNonNull(query, "query");
            headers = Map.copyOf(headers);
        }

        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    private record Rule(Predicate<Request> match, Deque<Fault> faults) {
    }

    /**
     * An exchange while it happens: registered before the client sees anything of the answer, its status set before the
     * head is written and its byte count raised before each body write, so a client that has read a byte finds it counted.
     */
    private static final class Live {
        private final Request request;
        private final Fault fault;
        private volatile int status;
        private final AtomicLong bodyBytes = new AtomicLong();

        Live(Request request, Fault fault) {
            this.request = request;
            this.fault = fault;
        }

        Exchange snapshot() {
            return new Exchange(request.method(), request.path(), request.query(), request.header("range"), fault, status, bodyBytes.get());
        }
    }

    private final URI origin;
    private final ServerSocket server;
    private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Rule> scripted = new ArrayList<>();
    private final List<Rule> standing = new ArrayList<>();
    private final List<Live> exchanges = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private FaultProxy(URI origin, ServerSocket server) {
        this.origin = origin;
        this.server = server;
    }

    /** Starts a proxy on a free loopback port in front of {@code origin} ({@code http://host:port}). */
    public static FaultProxy start(URI origin) throws IOException {
        requireNonNull(origin, "origin");
        if (!"http".equals(origin.getScheme()) || origin.getHost() == null || origin.getPort() < 0) {
            throw new IllegalArgumentException("origin must be http://host:port, got " + origin);
        }
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        FaultProxy proxy = new FaultProxy(origin, server);
        proxy.connections.execute(proxy::accept);
        return proxy;
    }

    /** {@code http://127.0.0.1:<port>}: the endpoint a client uses instead of the origin's. */
    public URI uri() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests of this method whose path ends with {@code pathSuffix}. */
    public static Predicate<Request> request(String method, String pathSuffix) {
        requireNonNull(method, "method");
        requireNonNull(pathSuffix, "pathSuffix");
        return request -> request.method().equals(method) && request.path().endsWith(pathSuffix);
    }

    /** Every request. */
    public static Predicate<Request> anyRequest() {
        return request -> true;
    }

    /** The next requests that {@code match} get these faults, one each, in order; then the rule is spent. */
    public synchronized FaultProxy script(Predicate<Request> match, Fault... faults) {
        requireNonNull(match, "match");
        scripted.add(new Rule(match, new ArrayDeque<>(List.of(faults))));
        return this;
    }

    /** Every request that {@code match} and no scripted fault takes gets {@code fault}; the latest such rule wins. */
    public synchronized FaultProxy always(Predicate<Request> match, Fault fault) {
        requireNonNull(match, "match");
        requireNonNull(fault, "fault");
        standing.add(0, new Rule(match, new ArrayDeque<>(List.of(fault))));
        return this;
    }

    /** Forgets every scripted and standing fault: everything passes through again. */
    public synchronized FaultProxy clearFaults() {
        scripted.clear();
        standing.clear();
        return this;
    }

    /** Forgets the exchanges so far, so a test can count one phase (a poll after a first sync) on its own. */
    public FaultProxy clearExchanges() {
        exchanges.clear();
        return this;
    }

    /** Every request so far, in the order they arrived; body bytes as far as they were written. */
    public List<Exchange> exchanges() {
        return exchanges.stream().map(Live::snapshot).toList();
    }

    /** Requests so far of this method and exact path. */
    public long requests(String method, String path) {
        return exchanges().stream().filter(exchange -> exchange.method().equals(method) && exchange.path().equals(path)).count();
    }

    /** Requests so far of any method and path. */
    public long requests() {
        return exchanges.size();
    }

    /**
     * Body bytes written to the client in successful (2xx) answers to requests of this method and exact path, the
     * partial bodies of dropped connections included: what a client downloaded of that object, re-downloads counted.
     */
    public long bodyBytes(String method, String path) {
        return exchanges().stream()
                .filter(exchange -> exchange.method().equals(method) && exchange.path().equals(path) && exchange.successful())
                .mapToLong(Exchange::bodyBytes).sum();
    }

    /** Body bytes written to the client in all answers, error bodies included. */
    public long bodyBytes() {
        return exchanges().stream().mapToLong(Exchange::bodyBytes).sum();
    }

    /** Stops accepting, closes every open connection and waits briefly for the connection threads to end. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        connections.shutdownNow();
        try {
            connections.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized Fault faultFor(Request request) {
        for (Rule rule : scripted) {
            if (!rule.faults().isEmpty() && rule.match().test(request)) {
                return rule.faults().removeFirst();
            }
        }
        for (Rule rule : standing) {
            if (rule.match().test(request)) {
                return rule.faults().getFirst();
            }
        }
        return Fault.passThrough();
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException e) {
                return; // closed
            }
            open.add(client);
            try {
                connections.execute(() -> serve(client));
            }
            catch (RuntimeException rejected) {
                closeQuietly(client);
                open.remove(client);
            }
        }
    }

    /** Serves one client connection, request after request, until either side closes it or a fault does. */
    private void serve(Socket client) {
        try (client) {
            InputStream input = new BufferedInputStream(client.getInputStream(), BUFFER);
            OutputStream output = client.getOutputStream();
            while (!closed) {
                Optional<Head> head = Head.read(input);
                if (head.isEmpty()) {
                    return;
                }
                if (!handle(head.get(), input, output)) {
                    return;
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            // the client or the origin went away, or a fault closed the connection: the exchange is over
        }
        finally {
            open.remove(client);
        }
    }

    /** One request; whether the client's connection stays open. */
    private boolean handle(Head head, InputStream input, OutputStream output) throws IOException {
        String[] requestLine = head.startLine().split(" ", 3);
        if (requestLine.length != 3) {
            throw new IOException("malformed request line: " + head.startLine());
        }
        String method = requestLine[0];
        Target target = Target.of(requestLine[1], origin);
        if (head.has("expect", "100-continue")) {
            output.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            output.flush();
        }
        byte[] body = readBody(head, input, false);
        Request request = new Request(method, target.path(), target.query(), head.headers());
        Fault fault = faultFor(request);
        Live exchange = new Live(request, fault);
        exchanges.add(exchange);
        boolean keepAlive = !head.has("connection", "close") && !requestLine[2].equals("HTTP/1.0");
        if (fault instanceof Fault.CloseWithoutResponse) {
            return false;
        }
        if (fault instanceof Fault.Answer answer) {
            byte[] xml = errorBody(answer, target.path());
            boolean headOnly = method.equals("HEAD"); // an answer to HEAD has the body's length and no body
            exchange.status = answer.status();
            exchange.bodyBytes.set(headOnly ? 0 : xml.length);
            writeHead(output, "HTTP/1.1 " + answer.status() + " " + reason(answer.status()),
                    Map.of("Content-Type", "application/xml", "x-amz-request-id", "faultproxy"), xml.length, keepAlive);
            if (!headOnly) {
                output.write(xml);
            }
            output.flush();
            return keepAlive;
        }
        if (fault instanceof Fault.Delay delay) {
            sleep(delay.delay().toMillis());
        }
        return forward(method, target, head, body, fault, exchange, output, keepAlive);
    }

    /** Sends the request to the origin and its answer to the client as {@code fault} says; whether the connection stays open. */
    private static boolean forward(String method, Target target, Head head, byte[] body, Fault fault, Live exchange, OutputStream output,
                                   boolean keepAlive) throws IOException {
        try (Socket upstream = new Socket(target.host(), target.port())) {
            sendRequest(upstream.getOutputStream(), method, target, head, body);
            InputStream fromOrigin = new BufferedInputStream(upstream.getInputStream(), BUFFER);
            Head response = Head.read(fromOrigin).orElseThrow(() -> new EOFException("the origin closed without answering"));
            while (response.status() / 100 == 1) {
                response = Head.read(fromOrigin).orElseThrow(() -> new EOFException("the origin closed after a 1xx answer"));
            }
            int status = response.status();
            boolean bodiless = method.equals("HEAD") || status == 204 || status == 304;
            long length;
            InputStream responseBody;
            if (bodiless) {
                length = response.header("content-length").map(Long::parseLong).orElse(0L);
                responseBody = InputStream.nullInputStream();
            }
            else if (response.has("transfer-encoding", "chunked")) {
                byte[] whole = readBody(response, fromOrigin, true);
                length = whole.length;
                responseBody = new ByteArrayInputStream(whole);
            }
            else if (response.header("content-length").isPresent()) {
                length = Long.parseLong(response.header("content-length").get());
                responseBody = fromOrigin;
            }
            else {
                byte[] whole = fromOrigin.readAllBytes();
                length = whole.length;
                responseBody = new ByteArrayInputStream(whole);
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : response.rawHeaders()) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    headers.put(header.getKey(), header.getValue());
                }
            }
            exchange.status = status;
            writeHead(output, response.startLine(), headers, length, keepAlive);
            relay(responseBody, bodiless ? 0 : length, fault, exchange, output);
            return keepAlive && !(fault instanceof Fault.DropAfter);
        }
    }

    /** The request as the client sent it, hop-by-hop headers replaced: one request per origin connection. */
    private static void sendRequest(OutputStream toOrigin, String method, Target target, Head head, byte[] body) throws IOException {
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        forwarded.write((method + " " + target.originForm() + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
        for (Map.Entry<String, String> header : head.rawHeaders()) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                forwarded.write((header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        if (body.length > 0 || head.header("content-length").isPresent() || head.has("transfer-encoding", "chunked")) {
            forwarded.write(("Content-Length: " + body.length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        forwarded.write("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        forwarded.write(body);
        toOrigin.write(forwarded.toByteArray());
        toOrigin.flush();
    }

    /** Copies {@code length} body bytes to the client: all of them, the first N ({@link Fault.DropAfter}) or slowly ({@link Fault.Trickle}). */
    private static void relay(InputStream responseBody, long length, Fault fault, Live exchange, OutputStream output) throws IOException {
        long limit = fault instanceof Fault.DropAfter drop ? Math.min(drop.bytes(), length) : length;
        int piece = fault instanceof Fault.Trickle trickle ? Math.min(trickle.bytes(), BUFFER) : BUFFER;
        long pause = fault instanceof Fault.Trickle trickle ? trickle.interval().toMillis() : 0;
        long sent = 0;
        byte[] buffer = new byte[BUFFER];
        while (sent < limit) {
            int read = responseBody.read(buffer, 0, (int) Math.min(piece, limit - sent));
            if (read < 0) {
                throw new EOFException("the origin's body ended after " + sent + " of " + length + " bytes");
            }
            exchange.bodyBytes.addAndGet(read);
            output.write(buffer, 0, read);
            output.flush();
            sent += read;
            if (pause > 0 && sent < limit) {
                sleep(pause);
            }
        }
        output.flush();
    }

    private static void writeHead(OutputStream output, String statusLine, Map<String, String> headers, long length, boolean keepAlive)
            throws IOException {
        StringBuilder head = new StringBuilder(statusLine).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(length).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        output.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A message's body: by Content-Length, or de-chunked; none when it declares neither (requests) . */
    private static byte[] readBody(Head head, InputStream input, boolean response) throws IOException {
        if (head.has("transfer-encoding", "chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = Head.line(input).orElseThrow(() -> new EOFException("chunked body ended early"));
                int semicolon = sizeLine.indexOf(';');
                int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                if (size == 0) {
                    while (!Head.line(input).orElse("").isEmpty()) {
                        // trailers are dropped
                    }
                    return body.toByteArray();
                }
                body.write(readExactly(input, size));
                Head.line(input);
            }
        }
        Optional<String> length = head.header("content-length");
        if (length.isPresent()) {
            return readExactly(input, Math.toIntExact(Long.parseLong(length.get().trim())));
        }
        return response ? input.readAllBytes() : new byte[0];
    }

    private static byte[] readExactly(InputStream input, int size) throws IOException {
        byte[] bytes = input.readNBytes(size);
        if (bytes.length != size) {
            throw new EOFException("body ended after " + bytes.length + " of " + size + " bytes");
        }
        return bytes;
    }

    private static byte[] errorBody(Fault.Answer answer, String path) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + answer.code() + "</Code><Message>" + answer.message()
                + "</Message><Resource>" + path.replace("&", "&amp;").replace("<", "&lt;") + "</Resource><RequestId>faultproxy</RequestId></Error>";
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    private static String reason(int status) {
        return switch (status) {
            case 500 -> "Internal Server Error";
            case 503 -> "Slow Down";
            default -> "Error";
        };
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SocketException("fault proxy stopped");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException e) {
            // closing anyway
        }
    }

    /** Where a request goes: the origin for origin-form targets, the named host for absolute-form ones. */
    private record Target(String host, int port, String path, String query) {
        static Target of(String requestTarget, URI origin) {
            if (requestTarget.startsWith("http://")) {
                URI uri = URI.create(requestTarget);
                return new Target(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), emptyToSlash(uri.getRawPath()),
                        uri.getRawQuery() == null ? "" : uri.getRawQuery());
            }
            int question = requestTarget.indexOf('?');
            String path = question < 0 ? requestTarget : requestTarget.substring(0, question);
            String query = question < 0 ? "" : requestTarget.substring(question + 1);
            return new Target(origin.getHost(), origin.getPort(), path, query);
        }

        String originForm() {
            return query.isEmpty() ? path : path + "?" + query;
        }

        private static String emptyToSlash(String path) {
            return path == null || path.isEmpty() ? "/" : path;
        }
    }

    /** A message head: the start line and the headers in order. */
    private record Head(String startLine, List<Map.Entry<String, String>> rawHeaders) {
        /** The next head, or empty when the stream ends before one starts. */
        static Optional<Head> read(InputStream input) throws IOException {
            Optional<String> start = line(input);
            while (start.isPresent() && start.get().isEmpty()) {
                start = line(input);
            }
            if (start.isEmpty()) {
                return Optional.empty();
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            int bytes = start.get().length();
            while (true) {
                String line = line(input).orElseThrow(() -> new EOFException("the head ended early"));
                if (line.isEmpty()) {
                    return Optional.of(new Head(start.get(), headers));
                }
                bytes += line.length();
                if (bytes > MAXIMUM_HEAD_BYTES) {
                    throw new IOException("a message head longer than " + MAXIMUM_HEAD_BYTES + " bytes");
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
                }
            }
        }

        /** One CRLF- (or LF-) terminated line in ISO-8859-1, without the terminator; empty at the end of the stream. */
        static Optional<String> line(InputStream input) throws IOException {
            StringBuilder line = new StringBuilder();
            int value;
            while ((value = input.read()) >= 0) {
                if (value == '\n') {
                    int end = line.length();
                    return Optional.of(end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString());
                }
                line.append((char) value);
                if (line.length() > MAXIMUM_HEAD_BYTES) {
                    throw new IOException("a line longer than " + MAXIMUM_HEAD_BYTES + " bytes");
                }
            }
            if (line.length() == 0) {
                return Optional.empty();
            }
            throw new EOFException("the stream ended inside a line");
        }

        Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            rawHeaders.forEach(header -> headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b));
            return headers;
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(headers().get(name));
        }

        boolean has(String name, String token) {
            return header(name).map(value -> value.toLowerCase(Locale.ROOT).contains(token)).orElse(false);
        }

        int status() {
            String[] parts = startLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new UncheckedIOException(new IOException("malformed status line: " + startLine));
            }
            return Integer.parseInt(parts[1]);
        }
    }
}
