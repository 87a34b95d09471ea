package org.yolofleet.device;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.testing.AgentProcess;
import org.yolofleet.device.testing.Exchange;
import org.yolofleet.device.testing.Fault;
import org.yolofleet.device.testing.FaultProxy;
import org.yolofleet.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of the agent (its own {@code -Xmx64m} JVM, the real {@link Agent} main class) at random points of
 * syncs from S3Proxy, while the channel moves on to newer releases every other round: after every kill {@code current}
 * is absent (nothing was ever installed) or a complete release that verifies, never a partial one nor an older one than
 * before, and one sync that is left alone at the end installs the newest release.
 */
class AgentKillTest {
    private static final int MB = 1024 * 1024;
    private static final int ROUNDS = 24;
    private static final long SEED = 20261206L;

    @TempDir
    static Path serverDirectory;

    private static S3ProxyServer server;
    private static S3Client uploader;

    @TempDir
    Path directory;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(serverDirectory, List.of(S3DeviceStore.BUCKET));
        uploader = S3DeviceStore.uploader(server);
    }

    @AfterAll
    static void stopServer() {
        if (uploader != null) {
            uploader.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void killedAnywhereInASyncCurrentIsAlwaysACompleteVerifiedReleaseAndTheNextSyncFinishes() throws Exception {
        int size = 2 * MB;
        Random random = new Random(SEED);
        S3DeviceStore store = new S3DeviceStore(new DeviceFixture(directory), uploader, "kill");
        // a health check that takes a moment, so kills land between the switch and its confirmation too; two releases kept,
        // so pruning happens in most rounds
        store.fixture.configure("health-check.command = \"sleep 0.2\"\nkeep-releases = 2");
        try (FaultProxy proxy = FaultProxy.start(URI.create(server.endpoint()))) {
            // every artifact body trickles (16 KiB every 8 ms): a whole download takes about a second
            proxy.always(request -> request.method().equals("GET") && request.path().endsWith("/" + ReleaseFixtures.ONNX),
                    Fault.trickle(16 * 1024, Duration.ofMillis(8)));
            long sequence = 1;
            store.publish("v1", sequence, size);
            Path config = store.configFile(proxy.uri());

            // how long an undisturbed sync takes, JVM start included, into a scratch install directory
            Path scratchConfig = directory.resolve("scratch.conf");
            Files.writeString(scratchConfig, store.configText(proxy.uri()).replaceFirst("\n}\n$",
                    "\n  install-dir = \"" + directory.resolve("scratch-device") + "\"\n}\n"));
            long started = System.nanoTime();
            AgentProcess.Result measured = AgentProcess.start(List.of("sync", "--config", scratchConfig.toString()), S3DeviceStore.ENVIRONMENT)
                    .await(Duration.ofSeconds(60));
            long syncMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(measured.exitCode()).as(measured.text()).isZero();
            proxy.clearExchanges();

            InstallDirectory install = store.fixture.install();
            boolean everInstalled = false;
            long lastSequence = 0;
            int killed = 0;
            Map<String, Integer> lastEvents = new TreeMap<>();
            long loopStarted = System.nanoTime();
            for (int round = 0; round < ROUNDS; round++) {
                if (round > 0 && round % 2 == 0) {
                    sequence++;
                    store.publish("v" + sequence, sequence, size);
                }
                long delay = random.nextInt((int) syncMillis);
                AgentProcess.Result result = AgentProcess.start(List.of("sync", "--config", config.toString()), S3DeviceStore.ENVIRONMENT)
                        .killAfter(Duration.ofMillis(delay));
                String description = "round " + round + ", killed after " + delay + " ms: " + result.text();
                if (result.killed()) {
                    killed++;
                    lastEvents.merge(lastEvent(result.output()), 1, Integer::sum);
                }
                else {
                    assertThat(result.exitCode()).as(description).isZero();
                    lastEvents.merge("(finished)", 1, Integer::sum);
                }

                assertThat(install.stateFile().read()).as(description).isNotNull();
                if (install.currentVersion().isEmpty()) {
                    assertThat(everInstalled).as("current disappeared after a release was installed; " + description).isFalse();
                    continue;
                }
                everInstalled = true;
                InstalledRelease current = install.current().orElseThrow(() -> new AssertionError("current points at no release; " + description));
                assertThat(current.sequence()).as("current went back; " + description).isGreaterThanOrEqualTo(lastSequence);
                lastSequence = current.sequence();
                // every installed release, the current one first of all, re-hashed and its signature checked again
                AgentReliabilityTest.Run verify = AgentReliabilityTest.run("verify", "--all", "--config", config.toString());
                assertThat(verify.exit()).as(verify.err() + "\n" + description).isZero();
                assertThat(verify.out()).contains("verified " + current.version());
            }
            long loopMillis = (System.nanoTime() - loopStarted) / 1_000_000;

            AgentProcess.Result last = AgentProcess.start(List.of("sync", "--config", config.toString()), S3DeviceStore.ENVIRONMENT)
                    .await(Duration.ofSeconds(60));

            assertThat(last.exitCode()).as(last.text()).isZero();
            String newest = "v" + sequence;
            assertThat(install.currentVersion()).contains(newest);
            assertThat(Files.readAllBytes(install.currentLink().resolve(ReleaseFixtures.ONNX)))
                    .isEqualTo(Files.readAllBytes(store.fixture.storeFile(newest, ReleaseFixtures.ONNX)));
            AgentReliabilityTest.Run verify = AgentReliabilityTest.run("verify", "--all", "--config", config.toString());
            assertThat(verify.exit()).as(verify.err()).isZero();
            assertThat(killed).as("kills that landed inside a sync: %s", lastEvents).isGreaterThanOrEqualTo(ROUNDS / 2);

            long served = proxy.exchanges().stream().filter(exchange -> exchange.method().equals("GET") && exchange.successful()
                    && exchange.path().endsWith("/" + ReleaseFixtures.ONNX)).mapToLong(Exchange::bodyBytes).sum();
            System.out.printf("kill -9: one sync %d ms; %d rounds in %d ms, %d killed; last event before each kill %s; %d releases of %d bytes,"
                    + " artifact bytes served %d (%.2f artifacts)%n", syncMillis, ROUNDS, loopMillis, killed, lastEvents, sequence, size, served,
                    served / (double) size);
        }
    }

    /** The last event the agent logged before it was killed ({@code start} when none). */
    private static String lastEvent(List<String> output) {
        for (int i = output.size() - 1; i >= 0; i--) {
            String line = output.get(i);
            if (line.startsWith("event=")) {
                int space = line.indexOf(' ');
                return line.substring("event=".length(), space < 0 ? line.length() : space);
            }
        }
        return "start";
    }
}
