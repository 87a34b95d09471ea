package org.yolofleet.device;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstalledRelease;
import org.yolofleet.device.testing.AgentProcess;
import org.yolofleet.device.testing.Exchange;
import org.yolofleet.device.testing.Fault;
import org.yolofleet.device.testing.FaultProxy;

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
    private static final int ROUNDS = 20;
    /**
     * The agent JVMs start with C1 only and the serial collector: each start (the AWS SDK's classes are most of it) costs
     * about 40% less, and this test starts one per round. The agent behaves the same.
     */
    private static final Map<String, String> ENVIRONMENT = with(S3DeviceStore.ENVIRONMENT, "JAVA_TOOL_OPTIONS",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC");
    private static final long SEED = 20261206L;
    /** The most artifact bytes one kill may cost again: those sent but not yet written to the staged file. */
    private static final long IN_FLIGHT = 256 * 1024;

    @RegisterExtension
    static final S3ProxyBucket S3 = new S3ProxyBucket();

    @TempDir
    Path directory;

    @Test
    void killedAnywhereInASyncCurrentIsAlwaysACompleteVerifiedReleaseAndTheNextSyncFinishes() throws Exception {
        int size = 2 * MB;
        Random random = new Random(SEED);
        S3DeviceStore store = S3.store(new DeviceFixture(directory), "kill");
        // a health check that takes a moment, so kills land between the switch and its confirmation too; two releases kept,
        // so pruning happens in most rounds
        store.fixture.configure("health-check.command = \"sleep 0.2\"\nkeep-releases = 2");
        try (FaultProxy proxy = FaultProxy.start(URI.create(S3.endpoint()))) {
            // every artifact body trickles (16 KiB every 5 ms): a whole download takes most of a second
            proxy.always(request -> request.method().equals("GET") && request.path().endsWith("/" + ReleaseFixtures.ONNX),
                    Fault.trickle(16 * 1024, Duration.ofMillis(5)));
            long sequence = 1;
            store.publish("v1", sequence, size);
            Path config = store.configFile(proxy.uri());

            // how long an undisturbed sync takes, JVM start included, into a scratch install directory
            Path scratchConfig = directory.resolve("scratch.conf");
            Files.writeString(scratchConfig, store.configText(proxy.uri()).replaceFirst("\n}\n$",
                    "\n  install-dir = \"" + directory.resolve("scratch-device") + "\"\n}\n"));
            long started = System.nanoTime();
            AgentProcess measuring = sync(scratchConfig);
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            started = System.nanoTime();
            AgentProcess.Result measured = measuring.await(Duration.ofSeconds(60));
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
                // a random point of the sync: from the moment the agent holds the lock and starts, within an undisturbed sync's duration
                long delay = random.nextInt((int) syncMillis);
                AgentProcess.Result result = sync(config).killAfter(Duration.ofMillis(delay));
                String description = "round " + round + ", killed " + delay + " ms into the sync: " + result.text();
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

            AgentProcess.Result last = sync(config).await(Duration.ofSeconds(60));

            assertThat(last.exitCode()).as(last.text()).isZero();
            String newest = "v" + sequence;
            assertThat(install.currentVersion()).contains(newest);
            assertThat(Files.readAllBytes(install.currentLink().resolve(ReleaseFixtures.ONNX)))
                    .isEqualTo(Files.readAllBytes(store.fixture.storeFile(newest, ReleaseFixtures.ONNX)));
            AgentReliabilityTest.Run verify = AgentReliabilityTest.run("verify", "--all", "--config", config.toString());
            assertThat(verify.exit()).as(verify.err()).isZero();
            // the loop tested something: most agents were killed, not left to finish
            assertThat(killed).as("kills that landed inside a sync: %s", lastEvents).isGreaterThanOrEqualTo(ROUNDS / 4);

            // bytes served per artifact: a complete one served more than once over means a download started again from zero
            Map<String, Long> servedPerArtifact = new TreeMap<>();
            proxy.exchanges().stream().filter(exchange -> exchange.method().equals("GET") && exchange.successful()
                    && exchange.path().endsWith("/" + ReleaseFixtures.ONNX))
                    .forEach(exchange -> servedPerArtifact.merge(exchange.path(), exchange.bodyBytes(), Long::sum));
            long served = servedPerArtifact.values().stream().mapToLong(Long::longValue).sum();
            long again = servedPerArtifact.values().stream().filter(bytes -> bytes >= size).mapToLong(bytes -> bytes - size).sum();
            long abandoned = servedPerArtifact.values().stream().filter(bytes -> bytes < size).mapToLong(Long::longValue).sum();
            // what a kill wastes is what was on the way (the proxy's socket buffer, the agent's read buffer), never the bytes reached
            assertThat(again).as("bytes served twice: %s", servedPerArtifact).isLessThanOrEqualTo((long) killed * IN_FLIGHT);
            System.out.printf("kill -9: agent start %d ms, one sync %d ms; %d rounds in %d ms, %d killed; last event before each kill %s; %d releases of %d bytes,"
                    + " artifact bytes served %d (%.2f artifacts): %d served again, %d of releases superseded before they were complete%n",
                    startMillis, syncMillis, ROUNDS, loopMillis, killed, lastEvents, sequence, size, served, served / (double) size, again, abandoned);
        }
    }

    /**
     * Starts {@code yolofleet-agent sync} and returns once it is under way: it printed its first line of its own (the SDK's
     * logging notice as the S3 client is built, after the lock is taken, or its first event), or exited.
     */
    private static AgentProcess sync(Path config) throws IOException, InterruptedException {
        AgentProcess agent = AgentProcess.start(List.of("sync", "--config", config.toString()), ENVIRONMENT);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (agent.output().stream().allMatch(line -> line.startsWith("Picked up JAVA_TOOL_OPTIONS"))
                && ProcessHandle.of(agent.pid()).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return agent;
    }

    private static Map<String, String> with(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new java.util.HashMap<>(map);
        copy.put(key, value);
        return Map.copyOf(copy);
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
