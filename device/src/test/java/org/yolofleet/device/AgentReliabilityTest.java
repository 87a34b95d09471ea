package org.yolofleet.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.source.ReleaseSource;
import org.yolofleet.device.source.ReleaseSources;
import org.yolofleet.device.source.S3ReleaseSource;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Sync;
import org.yolofleet.device.sync.SyncOutcome;
import org.yolofleet.device.testing.AgentProcess;
import org.yolofleet.device.testing.Exchange;
import org.yolofleet.device.testing.Fault;
import org.yolofleet.device.testing.FaultProxy;
import picocli.CommandLine;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The agent against a real S3-protocol server (S3Proxy) with {@link FaultProxy} between them, releases of a few MB so
 * faults land mid-body: dropped connections, 500 and 503 SlowDown, slow trickles, read timeouts. What must hold: the sync
 * retries and resumes from the byte reached (the bytes served for an artifact add up to its size, not more), a failure
 * that outlasts the retries ends the sync with a typed error and leaves {@code current} alone, and what is installed
 * verifies.
 */
class AgentReliabilityTest {
    private static final int MB = 1024 * 1024;

    @RegisterExtension
    static final S3ProxyBucket S3 = new S3ProxyBucket();

    @TempDir
    Path directory;

    private S3DeviceStore store;
    private FaultProxy proxy;
    private final StringWriter logText = new StringWriter();
    private final List<Duration> pauses = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp(TestInfo test) throws IOException {
        store = S3.store(new DeviceFixture(directory), test.getTestMethod().orElseThrow().getName());
        proxy = FaultProxy.start(URI.create(S3.endpoint()));
    }

    @AfterEach
    void tearDown() throws IOException {
        proxy.close();
    }

    @Test
    void aConnectionDroppedMidBodyResumesWithARangedGetFromTheByteReached() throws IOException {
        int size = 3 * MB;
        store.publish("v1", 1, size);
        String artifact = store.artifactPath("v1");
        proxy.script(FaultProxy.request("GET", artifact), Fault.dropAfter(1_000_000), Fault.dropAfter(700_000));
        // small bodies cut short too: the SDK ends them silently, only Content-Length tells
        proxy.script(FaultProxy.request("GET", store.pointerPath()), Fault.dropAfter(40));
        proxy.script(FaultProxy.request("GET", store.manifestPath("v1")), Fault.dropAfter(300));

        SyncOutcome outcome = sync();

        assertThat(outcome.result()).as(logText.toString()).isEqualTo(SyncOutcome.Result.INSTALLED);
        List<Exchange> gets = gets(artifact);
        assertThat(gets).extracting(Exchange::range)
                .containsExactly(Optional.empty(), Optional.of("bytes=1000000-"), Optional.of("bytes=1700000-"));
        long served = proxy.bodyBytes("GET", artifact);
        System.out.printf("drop mid-body: artifact %d bytes, served %d in %d GETs (re-downloaded %d)%n", size, served, gets.size(), served - size);
        assertThat(served).isEqualTo(size);
        assertThat(outcome.bytesDownloaded()).isEqualTo(size);
        assertThat(proxy.requests("GET", store.pointerPath())).isEqualTo(2);
        assertThat(proxy.requests("GET", store.manifestPath("v1"))).isEqualTo(2);
        assertInstalledAndVerified("v1");
    }

    @Test
    void serverErrorsAndSlowDownOnPointerManifestAndArtifactAreRetriedWithBackoff() throws IOException {
        int size = 2 * MB;
        store.publish("v1", 1, size);
        store.fixture.configure("retry { initial-backoff = 100ms, max-backoff = 400ms }");
        String artifact = store.artifactPath("v1");
        proxy.script(FaultProxy.request("GET", store.pointerPath()), Fault.internalError(), Fault.slowDown());
        proxy.script(FaultProxy.request("GET", store.manifestPath("v1")), Fault.slowDown(), Fault.internalError());
        proxy.script(FaultProxy.request("HEAD", artifact), Fault.slowDown());
        proxy.script(FaultProxy.request("GET", artifact), Fault.slowDown(), Fault.internalError());

        SyncOutcome outcome = sync();

        assertThat(outcome.result()).as(logText.toString()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(proxy.requests("GET", store.pointerPath())).isEqualTo(3);
        assertThat(proxy.requests("GET", store.manifestPath("v1"))).isEqualTo(3);
        assertThat(proxy.requests("HEAD", artifact)).isEqualTo(2);
        assertThat(proxy.requests("GET", artifact)).isEqualTo(3);
        assertThat(proxy.bodyBytes("GET", artifact)).isEqualTo(size);
        // one backoff pause per retry, each within the configured ceiling
        assertThat(pauses).hasSize(7).allSatisfy(pause -> assertThat(pause).isLessThanOrEqualTo(Duration.ofMillis(400)));
        assertThat(logText.toString().lines().filter(line -> line.startsWith("event=retry"))).hasSize(7);
        assertInstalledAndVerified("v1");
    }

    @Test
    void slowDownBeyondTheAttemptsFailsWithATypedExitCodeAndLeavesCurrentAlone() throws Exception {
        store.publish("v1", 1, MB);
        assertThat(sync().result()).isEqualTo(SyncOutcome.Result.INSTALLED);
        store.publish("v2", 2, MB);
        String artifact = store.artifactPath("v2");
        proxy.always(FaultProxy.request("GET", artifact), Fault.slowDown());
        store.fixture.configure("retry.attempts = 4");
        Path config = store.configFile(proxy.uri());

        AgentProcess.Result result = AgentProcess.start(List.of("sync", "--config", config.toString()), S3DeviceStore.ENVIRONMENT)
                .await(Duration.ofSeconds(60));

        assertThat(result.exitCode()).as(result.text()).isEqualTo(ErrorType.EXTERNAL.exitCode());
        assertThat(result.text()).contains("error: [IO]", "SlowDown");
        // the attempts are the attempts: the download's own retry does not multiply the request's
        assertThat(proxy.requests("GET", artifact)).isEqualTo(4);
        assertThat(proxy.bodyBytes("GET", artifact)).isZero();
        InstallDirectory install = store.fixture.install();
        assertThat(install.currentVersion()).contains("v1");
        assertThat(install.release("v2")).isEmpty();
        assertInstalledAndVerified("v1");

        Run status = run("status", "--config", config.toString(), "--json");
        JsonNode error = new ObjectMapper().readTree(status.out()).get("state").get("lastError");
        assertThat(error.get("code").asText()).isEqualTo(ErrorCode.IO.name());
        assertThat(error.get("message").asText()).contains("releases/" + DeviceFixture.MODEL + "/v2/" + ReleaseFixtures.ONNX, "SlowDown");
    }

    @Test
    void aSlowTrickleWithinTheReadTimeoutCompletes() throws IOException {
        int size = MB;
        store.publish("v1", 1, size);
        // the whole trickle (64 pieces of 16 KiB, 25 ms apart) takes longer than the read timeout; each read does not
        store.fixture.configure("retry.request-timeout = 1s");
        String artifact = store.artifactPath("v1");
        proxy.script(FaultProxy.request("GET", artifact), Fault.trickle(16 * 1024, Duration.ofMillis(25)));

        SyncOutcome outcome = sync();

        assertThat(outcome.result()).as(logText.toString()).isEqualTo(SyncOutcome.Result.INSTALLED);
        assertThat(proxy.requests("GET", artifact)).isEqualTo(1);
        assertThat(proxy.bodyBytes("GET", artifact)).isEqualTo(size);
        assertInstalledAndVerified("v1");
    }

    @Test
    void aTrickleSlowerThanTheReadTimeoutFailsCleanlyAndTheNextSyncResumesFromTheByteReached() throws IOException {
        int size = 2 * MB;
        store.publish("v1", 1, size);
        store.fixture.configure("retry { request-timeout = 1s, attempts = 3 }");
        String artifact = store.artifactPath("v1");
        // one 16 KiB piece, then silence past the timeout; the resumed request is throttled until the attempts run out
        proxy.script(FaultProxy.request("GET", artifact), Fault.trickle(16 * 1024, Duration.ofSeconds(5)), Fault.slowDown(), Fault.slowDown(),
                Fault.slowDown());

        assertThatThrownBy(this::sync).isInstanceOfSatisfying(YoloFleetException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.IO));

        InstallDirectory install = store.fixture.install();
        assertThat(install.currentVersion()).isEmpty();
        Path staged = install.stagingDirectory("v1").resolve(ReleaseFixtures.ONNX);
        long reached = Files.size(staged);
        assertThat(reached).isPositive().isLessThan(size);
        assertThat(install.stateFile().read().lastError().orElseThrow().code()).contains(ErrorCode.IO.name());

        proxy.clearFaults();
        SyncOutcome outcome = sync();

        assertThat(outcome.result()).as(logText.toString()).isEqualTo(SyncOutcome.Result.INSTALLED);
        List<Exchange> gets = gets(artifact);
        assertThat(gets.get(gets.size() - 1).range()).contains("bytes=" + reached + "-");
        assertThat(outcome.bytesDownloaded()).isEqualTo(size - reached);
        long served = proxy.bodyBytes("GET", artifact);
        System.out.printf("trickle past the timeout: artifact %d bytes, reached %d, served %d (re-downloaded %d)%n", size, reached, served,
                served - size);
        // at most the piece the proxy sent after the agent had given up is served twice
        assertThat(served).isBetween((long) size, (long) size + 16 * 1024);
        assertInstalledAndVerified("v1");
    }

    /** One in-process sync as {@code yolofleet-agent sync} runs it (retries, backoff, S3 client), through the proxy. */
    private SyncOutcome sync() throws IOException {
        DeviceConfig config = store.config(proxy.uri());
        EventLog log = new EventLog(new PrintWriter(logText, true));
        S3Client client = S3ReleaseSource.client(config.s3().region(), config.s3().endpoint(), config.s3().pathStyle(), S3DeviceStore.CREDENTIALS,
                config.retry().requestTimeout());
        try (ReleaseSource source = ReleaseSources.decorate(new S3ReleaseSource(client, config.store().bucket(), config.store().prefix()), config,
                pauses::add, line -> log.event("retry", "detail", line))) {
            return new Sync(config, source, ReleaseSources.backoff(config, pauses::add), FreeSpace.FILE_STORE, log, Clock.systemUTC()).run();
        }
    }

    private List<Exchange> gets(String path) {
        return proxy.exchanges().stream().filter(exchange -> exchange.method().equals("GET") && exchange.path().equals(path)).toList();
    }

    /** {@code current} is {@code version}, its model is the published bytes, and {@code yolofleet-agent verify} passes. */
    private void assertInstalledAndVerified(String version) throws IOException {
        InstallDirectory install = store.fixture.install();
        assertThat(install.currentVersion()).contains(version);
        assertThat(Files.readAllBytes(install.currentLink().resolve(ReleaseFixtures.ONNX)))
                .isEqualTo(Files.readAllBytes(store.fixture.storeFile(version, ReleaseFixtures.ONNX)));
        Run verify = run("verify", "--config", store.configFile(proxy.uri()).toString());
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verified " + version);
    }

    record Run(int exit, String out, String err) {
    }

    static Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Agent.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(arguments);
        return new Run(exit, out.toString(), err.toString());
    }
}
