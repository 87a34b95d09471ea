package org.yolofleet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real S3-protocol server on loopback for tests: S3Proxy (from Maven Central) with its filesystem backend, run
 * as its own JVM process (its Jetty and Guava must not meet Hadoop's on one classpath), started by the test and
 * stopped by its PID. Clients reach it at {@link #endpoint()} (path-style, plain HTTP) with {@link #ACCESS_KEY} and
 * {@link #SECRET_KEY}, exactly as they would reach S3. It lives in core's test-jar so every module's S3 tests (the
 * pipelines' s3a, the device agent's SDK client) share it; each module copies the S3Proxy jar itself (see
 * {@link #JAR_PROPERTY}). The Hadoop {@code fs.s3a.*} settings are the pipelines' {@code S3ProxyHadoop}.
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String JAR_PROPERTY = "yolofleet.s3proxy.jar";
    public static final String ACCESS_KEY = "yolofleet-test-access";
    public static final String SECRET_KEY = "yolofleet-test-secret";

    private final Process process;
    private final int port;
    private final Path storage;
    private final Path log;

    private S3ProxyServer(Process process, int port, Path storage, Path log) {
        this.process = process;
        this.port = port;
        this.storage = storage;
        this.log = log;
    }

    /** Starts the server with the given buckets, under {@code workDirectory}; waits until it answers. */
    public static S3ProxyServer start(Path workDirectory, List<String> buckets) throws IOException, InterruptedException {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("S3Proxy jar not found: system property " + JAR_PROPERTY + " = " + jar
                    + " (each module's pom copies it to <module>/target/s3proxy/ in generate-test-resources)");
        }
        Path storage = Files.createDirectories(workDirectory.resolve("s3-storage"));
        for (String bucket : buckets) {
            Files.createDirectories(storage.resolve(bucket));
        }
        int port = freePort();
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", ACCESS_KEY);
        properties.setProperty("s3proxy.credential", SECRET_KEY);
        properties.setProperty("jclouds.provider", "filesystem");
        properties.setProperty("jclouds.filesystem.basedir", storage.toString());
        Path propertiesFile = workDirectory.resolve("s3proxy.properties");
        try (var writer = Files.newBufferedWriter(propertiesFile, StandardCharsets.UTF_8)) {
            properties.store(writer, "yolofleet test S3 server");
        }
        Path log = workDirectory.resolve("s3proxy.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar, "--properties", propertiesFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        S3ProxyServer server = new S3ProxyServer(process, port, storage, log);
        server.awaitListening(Duration.ofSeconds(60));
        return server;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** Where the filesystem backend keeps objects: {@code <storage>/<bucket>/<key>}. */
    public Path storage() {
        return storage;
    }

    private void awaitListening(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Proxy exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("S3Proxy did not listen on port " + port + " within " + timeout + ": " + Files.readString(log));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException exception) {
            throw new UncheckedIOException(exception);
        }
    }

    /** Stops the server by its PID and waits for it to exit. */
    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException interrupted) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
