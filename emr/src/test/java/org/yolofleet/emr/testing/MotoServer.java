package org.yolofleet.emr.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import org.yolofleet.emr.AwsClients;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A real {@code moto_server} (Python moto, every AWS service on one port) on a free port of 127.0.0.1 for a test class:
 * started before its tests, waited for until it answers, stopped by its process id after them. The launcher under test
 * reaches it with {@code --endpoint} and dummy static credentials (system properties {@code aws.accessKeyId} /
 * {@code aws.secretAccessKey}, read by the SDK's default chain), region us-east-1.
 * Register with {@code @RegisterExtension static final MotoServer MOTO = new MotoServer();}.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private Process process;
    private int port;
    private Path log;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        log = Files.createTempFile("moto-server", ".log");
        try {
            process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start moto_server (pip install 'moto[server]==5.2.1'): " + e.getMessage(), e);
        }
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!answers()) {
            if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                String output = Files.readString(log);
                stop();
                throw new IllegalStateException("moto_server did not answer on port " + port + " within " + START_TIMEOUT + ":\n" + output);
            }
            Thread.sleep(100);
        }
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        Files.deleteIfExists(log);
    }

    /** The endpoint every client and {@code --endpoint} use. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** SDK clients pointed at the server, region us-east-1, dummy static credentials. */
    public AwsClients clients() {
        return new AwsClients(Region.US_EAST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")),
                Optional.of(endpoint()));
    }

    /** Forgets everything the server stored (moto's reset API), so each test starts from an empty account. */
    public void reset() throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/reset").toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.getOutputStream().close();
        if (connection.getResponseCode() != 200) {
            throw new IOException("moto reset answered " + connection.getResponseCode());
        }
        connection.disconnect();
    }

    private boolean answers() {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint() + "/moto-api/").toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            int status = connection.getResponseCode();
            connection.disconnect();
            return status > 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void stop() {
        if (process == null) {
            return;
        }
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle != null) {
            handle.descendants().forEach(ProcessHandle::destroy);
            handle.destroy();
            try {
                handle.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        process = null;
    }
}
