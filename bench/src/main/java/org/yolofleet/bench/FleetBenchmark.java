package org.yolofleet.bench;

import com.typesafe.config.ConfigFactory;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.ArtifactEntry;
import org.yolofleet.core.release.ArtifactFormat;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.ClassMetrics;
import org.yolofleet.core.release.DecodeSpec;
import org.yolofleet.core.release.DecodeThresholds;
import org.yolofleet.core.release.DeviceTarget;
import org.yolofleet.core.release.Ed25519Pem;
import org.yolofleet.core.release.ManifestSigner;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseManifest;
import org.yolofleet.core.release.ReleaseMetrics;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.device.config.DeviceConfig;
import org.yolofleet.device.config.DeviceConfigLoader;
import org.yolofleet.device.install.FreeSpace;
import org.yolofleet.device.source.Backoff;
import org.yolofleet.device.source.CountingReleaseSource;
import org.yolofleet.device.source.ReleaseSource;
import org.yolofleet.device.source.ReleaseSources;
import org.yolofleet.device.source.S3ReleaseSource;
import org.yolofleet.device.sync.EventLog;
import org.yolofleet.device.sync.Sync;
import org.yolofleet.device.sync.SyncOutcome;
import org.yolofleet.testing.S3ProxyServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * Fleet scale: what a fleet of agents costs the S3 release store, how fast it converges on a new release, and what one
 * agent process needs in memory. Writes {@code fleet.txt}.
 * <ul>
 *   <li>The store: S3Proxy (a real S3-protocol server, filesystem backend) on loopback, started by core's
 *       {@link S3ProxyServer}; releases signed with core's {@link ManifestSigner} and laid out by {@link ReleaseLayout},
 *       uploaded through the SDK. The new release's cpu artifact is a real FP32 ONNX export of Tiny-YOLOv2 VOC at 416 px
 *       (random weights: the size is what matters).</li>
 *   <li>The fleet: {@code --agents} simulated agents in this JVM, one thread each, each with its own install directory
 *       and state, its own {@link CountingReleaseSource} over its own {@link S3ReleaseSource} (the agent's retries on
 *       top) and its own {@link Sync} per poll, as {@code yolofleet-agent sync} builds them; the threads share one SDK
 *       client. Polls run in rounds: every agent polls once per round, all at once (a worst-case burst; the timer's
 *       jitter spreads a real fleet's polls over a minute).</li>
 *   <li>Convergence: the poll times after a change are simulated ({@link PollSchedule}, the configured interval and
 *       jitter), not waited for; the sync time is measured by {@code --download-agents} agents downloading the new
 *       release at once through S3Proxy.</li>
 *   <li>Memory: the real agent, {@code java -Xmx64m -jar yolofleet-agent.jar sync}, as its own process; its peak
 *       resident set is VmHWM of {@code /proc/<pid>/status}, read every 5 ms until it exits.</li>
 * </ul>
 */
public final class FleetBenchmark {
    private static final String BUCKET = "fleet";
    private static final String PREFIX = "yolofleet";
    private static final String MODEL = "voc-tiny";
    private static final String CHANNEL = "stable";
    private static final String ARTIFACT = "model.onnx";
    private static final String REGION = "us-east-1";
    /** S3 Standard, us-east-1, list prices (assumed; check the current price list). */
    private static final double GET_DOLLARS_PER_1000 = 0.0004;
    private static final double TRANSFER_OUT_DOLLARS_PER_GB = 0.09;
    private static final String PRICE_DATE = "2026-12-06";
    private static final int DAYS_PER_MONTH = 30;
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    private FleetBenchmark() {
    }

    public static void main(String[] arguments) throws Exception {
        Map<String, String> options = BenchmarkSupport.options(arguments, "FleetBenchmark --results DIR --agent-jar JAR --s3proxy-jar JAR"
                + " [--agents 500] [--idle-rounds 3] [--download-agents 16] [--process-runs 3] [--seed 2026]");
        Path results = Path.of(options.getOrDefault("results", "bench/results"));
        Path agentJar = Path.of(options.getOrDefault("agent-jar", "device/target/yolofleet-agent.jar")).toAbsolutePath();
        Path s3proxyJar = Path.of(options.getOrDefault("s3proxy-jar", "device/target/s3proxy/s3proxy.jar")).toAbsolutePath();
        int agentCount = Integer.parseInt(options.getOrDefault("agents", "500"));
        int idleRounds = Integer.parseInt(options.getOrDefault("idle-rounds", "3"));
        int downloadAgents = Math.min(agentCount, Integer.parseInt(options.getOrDefault("download-agents", "16")));
        int processRuns = Integer.parseInt(options.getOrDefault("process-runs", "3"));
        long seed = Long.parseLong(options.getOrDefault("seed", "2026"));
        for (Path jar : List.of(agentJar, s3proxyJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar + " does not exist: build with mvn -pl bench -am package (bench/run does)");
            }
        }
        System.setProperty(S3ProxyServer.JAR_PROPERTY, s3proxyJar.toString());
        Path work = Files.createTempDirectory("yolofleet-fleet-bench");
        String loadBefore = BenchmarkSupport.loadAverage();
        Instant started = Instant.now();
        List<String> lines = new ArrayList<>();
        try (S3ProxyServer server = S3ProxyServer.start(work.resolve("s3"), List.of(BUCKET));
             S3Client client = S3ReleaseSource.client(Optional.of(REGION), Optional.of(server.endpoint()), true,
                     StaticCredentialsProvider.create(AwsBasicCredentials.create(S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY)),
                     Duration.ofSeconds(120))) {
            KeyPair keys = SigningKeys.generate();
            Path publicKey = work.resolve("publisher.pub.pem");
            Files.writeString(publicKey, Ed25519Pem.publicKeyPem(keys.getPublic()), StandardCharsets.US_ASCII);
            Publisher publisher = new Publisher(client, new ManifestSigner(keys.getPrivate()));

            System.out.printf("fleet benchmark: exporting Tiny-YOLOv2 VOC 416 to ONNX FP32 ...%n");
            ModelSpec spec = TinyYoloV2.voc();
            List<String> classNames = IntStream.range(0, spec.classCount()).mapToObj(index -> "class_" + index).toList();
            byte[] onnx = OnnxExporter.withDefaults().export(spec, OnnxRuntimeBenchmark.randomWeights(spec, seed).layers(), classNames, "fleet");
            byte[] small = new byte[64 * 1024];
            new Random(seed).nextBytes(small);
            Publisher.Published v1 = publisher.publish("2026.12.06-1", 1, small, Optional.empty());

            // the fleet, each agent on v1 (a small artifact: the installs only set the stage for the idle polls)
            List<SimulatedAgent> fleet = new ArrayList<>();
            for (int index = 0; index < agentCount; index++) {
                Path root = Files.createDirectories(work.resolve("agents").resolve("agent-" + index));
                fleet.add(new SimulatedAgent(index, DeviceConfigLoader.of(ConfigFactory.parseString(
                        deviceConf(server.endpoint(), publicKey, root.resolve("install"))), root), client));
            }
            ExecutorService threads = Executors.newFixedThreadPool(agentCount);
            try {
                System.out.printf("fleet benchmark: %d agents install %s ...%n", agentCount, v1.version());
                Round install = round(threads, fleet);
                System.out.printf("  %s%n", install.summary());
                List<Round> idle = new ArrayList<>();
                for (int index = 0; index < idleRounds; index++) {
                    System.out.printf("fleet benchmark: idle round %d/%d ...%n", index + 1, idleRounds);
                    idle.add(round(threads, fleet));
                    System.out.printf("  %s%n", idle.get(index).summary());
                }

                Publisher.Published v2 = publisher.publish("2026.12.06-2", 2, onnx, Optional.of(v1.pointer()));
                System.out.printf("fleet benchmark: release change to %s (%d bytes); %d agents sync it at once ...%n", v2.version(),
                        onnx.length, downloadAgents);
                Round change = round(threads, fleet.subList(0, downloadAgents));
                System.out.printf("  %s%n", change.summary());
                Round afterChange = round(threads, fleet.subList(0, downloadAgents));

                DeviceConfig.Poll poll = fleet.get(0).config.poll();
                double[] waits = PollSchedule.waitsAfterChange(agentCount, poll.interval(), poll.jitter(), Duration.ofHours(1), seed);

                System.out.printf("fleet benchmark: peak resident set of the agent process, %d runs each ...%n", processRuns);
                List<ProcessPeak> downloads = new ArrayList<>();
                List<ProcessPeak> idlePolls = new ArrayList<>();
                URI endpoint = URI.create(server.endpoint());
                try (CountingRelay relay = CountingRelay.start(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()))) {
                    for (int run = 0; run < processRuns; run++) {
                        Path root = Files.createDirectories(work.resolve("process-" + run));
                        Path conf = root.resolve("device.conf");
                        Files.writeString(conf, deviceConf("http://127.0.0.1:" + relay.port(), publicKey, root.resolve("install")));
                        downloads.add(ProcessPeak.run(agentJar, conf, root.resolve("download.log"), relay));
                        idlePolls.add(ProcessPeak.run(agentJar, conf, root.resolve("idle.log"), relay));
                        System.out.printf("  run %d: download %s, idle poll %s%n", run + 1, downloads.get(run), idlePolls.get(run));
                        BenchmarkSupport.deleteTree(root.resolve("install"));
                    }
                }

                lines.addAll(report(agentCount, downloadAgents, v1, v2, install, idle, change, afterChange, poll, waits, downloads, idlePolls,
                        agentJar));
            } finally {
                threads.shutdownNow();
            }
        } finally {
            BenchmarkSupport.deleteTree(work);
        }
        lines.add(0, "# yolofleet fleet benchmark");
        lines.add(1, "date                                  " + Instant.now());
        lines.add(2, "machine                               " + Runtime.getRuntime().availableProcessors() + " cores, load " + loadBefore
                + " before, " + BenchmarkSupport.loadAverage() + " after; " + String.format(Locale.ROOT, "%.0f s in all",
                BenchmarkSupport.seconds(started)));
        String text = String.join(System.lineSeparator(), lines) + System.lineSeparator();
        System.out.print(text);
        Files.createDirectories(results);
        Files.writeString(results.resolve("fleet.txt"), text, StandardCharsets.UTF_8);
    }

    private static List<String> report(int agentCount, int downloadAgents, Publisher.Published v1, Publisher.Published v2, Round install,
                                       List<Round> idle, Round change, Round afterChange, DeviceConfig.Poll poll, double[] waits,
                                       List<ProcessPeak> downloads, List<ProcessPeak> idlePolls, Path agentJar) {
        List<String> lines = new ArrayList<>();
        lines.add("setup                                 S3Proxy " + "(filesystem backend) on loopback; " + agentCount
                + " simulated agents = threads of one JVM, each its own install dir, state, CountingReleaseSource over its own"
                + " S3ReleaseSource (one shared SDK client), retries, Sync; device.conf defaults (profile cpu)");
        lines.add(String.format(Locale.ROOT, "releases                              %s: 64 KiB artifact (set-up); %s: model.onnx = ONNX FP32 export"
                + " of Tiny-YOLOv2 VOC 416, %d bytes (%.1f MiB); both Ed25519-signed", v1.version(), v2.version(), v2.artifactBytes(),
                v2.artifactBytes() / MIB));
        lines.add("install round (" + v1.version() + ")          " + install.summary());
        for (int index = 0; index < idle.size(); index++) {
            lines.add(String.format(Locale.ROOT, "%-38s%s", "idle round " + (index + 1) + " (" + agentCount + " polls at once)", idle.get(index).summary()));
        }
        Round allIdle = Round.merge(idle);
        double requestsPerIdlePoll = allIdle.requests() / (double) allIdle.polls();
        double bytesPerIdlePoll = allIdle.bytes() / (double) allIdle.polls();
        lines.add(String.format(Locale.ROOT, "idle poll                             %.2f requests (conditional GET of the pointer, answered 304: %d of %d"
                        + " polls not-modified), %.0f body bytes", requestsPerIdlePoll, allIdle.results().getOrDefault(SyncOutcome.Result.NOT_MODIFIED, 0),
                allIdle.polls(), bytesPerIdlePoll));
        double pollsPerDay = Duration.ofDays(1).toSeconds() / (double) poll.interval().toSeconds();
        double pollsPerDayJittered = Duration.ofDays(1).toSeconds() / (poll.interval().toSeconds() + poll.jitter().toSeconds() / 2.0);
        lines.add(String.format(Locale.ROOT, "idle, per device per day              %.0f requests, %.0f body bytes at a %d-minute poll (%.0f polls;"
                        + " %.0f with the mean %d s of jitter)", requestsPerIdlePoll * pollsPerDay, bytesPerIdlePoll * pollsPerDay,
                poll.interval().toMinutes(), pollsPerDay, pollsPerDayJittered, poll.jitter().toSeconds() / 2));
        double requestsPerChange = change.requests() / (double) change.polls();
        double bytesPerChange = change.bytes() / (double) change.polls();
        lines.add(String.format(Locale.ROOT, "release change, per device            %.2f requests (pointer GET, manifest, signature, HEAD and GET of"
                        + " the artifact), %.0f body bytes (%.1f MiB; %d installed of %d)", requestsPerChange, bytesPerChange, bytesPerChange / MIB,
                change.results().getOrDefault(SyncOutcome.Result.INSTALLED, 0), change.polls()));
        lines.add(String.format(Locale.ROOT, "%-38s%d bytes (pointer, manifest, signature) + %d bytes of the artifact", "release change, metadata",
                Math.round(bytesPerChange) - v2.artifactBytes(), v2.artifactBytes()));
        lines.add(String.format(Locale.ROOT, "%-38smedian %.1f s, slowest %.1f s (%.0f MiB/s through S3Proxy in"
                        + " all, sha-256 and fsync included)", "sync of the change, " + downloadAgents + " agents at once", change.medianSeconds(), change.slowestSeconds(),
                change.bytes() / MIB / change.wallSeconds()));
        lines.add("poll after the change                 " + afterChange.summary());
        lines.add(String.format(Locale.ROOT, "first poll after a change (simulated) %d agents, poll every %d s + uniform jitter up to %d s, phases"
                        + " random after an hour: median %.0f s, p95 %.0f s, last %.0f s", agentCount, poll.interval().toSeconds(),
                poll.jitter().toSeconds(), PollSchedule.quantile(waits, 0.5), PollSchedule.quantile(waits, 0.95), waits[waits.length - 1]));
        double converge = waits[waits.length - 1] + change.slowestSeconds();
        lines.add(String.format(Locale.ROOT, "%-38s%.0f s = last first-poll %.0f s + slowest measured sync %.1f s"
                        + " (on loopback; a Pi's link adds %.0f s per 10 Mbit/s of it for %.1f MiB)", "fleet converged (all " + agentCount + " installed)", converge,
                waits[waits.length - 1], change.slowestSeconds(), v2.artifactBytes() * 8 / 10e6, v2.artifactBytes() / MIB));
        lines.add("agent process, 60 MB download         " + ProcessPeak.summary(downloads) + " (java -Xmx64m -jar " + agentJar.getFileName()
                + " sync, nothing installed)");
        lines.add("agent process, idle poll              " + ProcessPeak.summary(idlePolls) + " (the same, release installed: one 304)");
        // transfer out is billed on what leaves the store: the wire bytes of the agent process (HTTP headers included)
        double idleWire = ProcessPeak.medianWireToAgent(idlePolls);
        double changeWire = ProcessPeak.medianWireToAgent(downloads);
        lines.add(String.format(Locale.ROOT, "%-38s%.0f bytes per idle poll (the 304's headers), %.0f per release change (%d over its bodies;"
                        + " plain HTTP on loopback: HTTPS adds a TLS handshake per new connection, not counted)", "on the wire from the store",
                idleWire, changeWire, Math.round(changeWire - bytesPerChange)));
        double devices = 1000;
        double idleRequests = devices * pollsPerDay * DAYS_PER_MONTH * requestsPerIdlePoll;
        double idleGib = devices * pollsPerDay * DAYS_PER_MONTH * idleWire / GIB;
        double idleDollars = idleRequests / 1000 * GET_DOLLARS_PER_1000 + idleGib * TRANSFER_OUT_DOLLARS_PER_GB;
        double nightlyRequests = devices * DAYS_PER_MONTH * requestsPerChange;
        double nightlyGib = devices * DAYS_PER_MONTH * changeWire / GIB;
        double nightlyDollars = nightlyRequests / 1000 * GET_DOLLARS_PER_1000 + nightlyGib * TRANSFER_OUT_DOLLARS_PER_GB;
        lines.add(String.format(Locale.ROOT, "%-38sS3 Standard us-east-1: GET/HEAD $%.4f per 1,000 requests, data"
                + " transfer out to the internet $%.2f per GB (GiB); no free tier; %d-day month", "prices (assumed, " + PRICE_DATE + ")", GET_DOLLARS_PER_1000,
                TRANSFER_OUT_DOLLARS_PER_GB, DAYS_PER_MONTH));
        lines.add(String.format(Locale.ROOT, "cost per 1,000 devices per month      idle polling: $%.2f (%.2f M requests, %.2f GiB out); one %.0f MB release per"
                        + " night: +$%.2f ($%.2f for %.0f k requests, $%.2f for %.0f GiB out); total $%.2f", idleDollars, idleRequests / 1e6, idleGib,
                v2.artifactBytes() / 1e6, nightlyDollars, nightlyRequests / 1000 * GET_DOLLARS_PER_1000, nightlyRequests / 1000,
                nightlyGib * TRANSFER_OUT_DOLLARS_PER_GB, nightlyGib, idleDollars + nightlyDollars));
        lines.add("command                               bench/run fleet --agents " + agentCount + " --download-agents " + downloadAgents);
        return lines;
    }

    private static String deviceConf(String endpoint, Path publicKey, Path installDirectory) {
        return "device {\n  store = \"s3://" + BUCKET + "/" + PREFIX + "\"\n  s3 { region = " + REGION + ", endpoint = \"" + endpoint
                + "\", path-style = true }\n  model = " + MODEL + "\n  channel = " + CHANNEL + "\n  profile = cpu\n  trusted-keys = [\""
                + publicKey + "\"]\n  install-dir = \"" + installDirectory + "\"\n}\n";
    }

    /** Every agent of {@code agents} polls once, all at once, each on its own thread. */
    private static Round round(ExecutorService threads, List<SimulatedAgent> agents) throws Exception {
        List<Callable<SimulatedAgent.Poll>> polls = agents.stream().<Callable<SimulatedAgent.Poll>>map(agent -> agent::poll).toList();
        Instant started = Instant.now();
        List<SimulatedAgent.Poll> done = new ArrayList<>();
        for (Future<SimulatedAgent.Poll> future : threads.invokeAll(polls)) {
            done.add(future.get());
        }
        return Round.of(done, BenchmarkSupport.seconds(started));
    }

    /** Signed releases in the S3 store, laid out as publish writes them, and the channel pointer moved to each. */
    private record Publisher(S3Client client, ManifestSigner signer) {
        record Published(String version, ChannelPointer pointer, long artifactBytes) {
        }

        Published publish(String version, long sequence, byte[] artifact, Optional<ChannelPointer> previous) {
            ModelSpec spec = TinyYoloV2.voc();
            List<String> classNames = IntStream.range(0, spec.classCount()).mapToObj(index -> "class_" + index).toList();
            List<ClassMetrics> classes = classNames.stream().map(name -> new ClassMetrics(name, OptionalDouble.of(0.5), OptionalDouble.of(0.5))).toList();
            ReleaseManifest manifest = new ReleaseManifest(MODEL, version, sequence, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    "fleet-benchmark", "synthetic", previous.map(ChannelPointer::version), "0.1.0-SNAPSHOT", false,
                    DecodeSpec.from(spec, classNames, DecodeThresholds.DARKNET), new ReleaseMetrics(0.5, 0.5, 0.5, OptionalDouble.empty(), classes),
                    List.of(ArtifactEntry.of(ARTIFACT, ArtifactFormat.ONNX_FP32, Optional.of(DeviceTarget.CPU), Sha256.of(artifact), "yolofleet",
                            "0.1.0-SNAPSHOT")), List.of());
            byte[] manifestJson = manifest.toJson();
            put(ReleaseLayout.artifact(MODEL, version, ARTIFACT), artifact);
            put(ReleaseLayout.manifest(MODEL, version), manifestJson);
            put(ReleaseLayout.signature(MODEL, version), signer.sign(manifestJson).toJson());
            ChannelPointer pointer = ChannelPointer.to(manifest, manifestJson, CHANNEL, Instant.now(), previous);
            put(ReleaseLayout.channelPointer(MODEL, CHANNEL), pointer.toJson());
            return new Published(version, pointer, artifact.length);
        }

        private void put(String path, byte[] bytes) {
            client.putObject(PutObjectRequest.builder().bucket(BUCKET).key(PREFIX + "/" + path).build(), RequestBody.fromBytes(bytes));
        }
    }

    /** One simulated device: its configuration and install directory, the requests and bytes it has cost. */
    private static final class SimulatedAgent {
        record Poll(Optional<SyncOutcome.Result> result, long requests, long bytes, double seconds, Optional<String> failure) {
        }

        final int index;
        final DeviceConfig config;
        final CountingReleaseSource counting;
        final ReleaseSource source;
        final EventLog log = new EventLog(new PrintWriter(Writer.nullWriter()));

        SimulatedAgent(int index, DeviceConfig config, S3Client client) {
            this.index = index;
            this.config = config;
            this.counting = new CountingReleaseSource(new S3ReleaseSource(client, config.store().bucket(), config.store().prefix()));
            // as SyncCommand: the agent's retries (and bandwidth cap, none by default) over the counted store
            this.source = ReleaseSources.decorate(counting, config, Backoff.THREAD_SLEEP, line -> { });
        }

        /** One {@code yolofleet-agent sync} (without the instance lock: every agent has its own install directory). */
        Poll poll() {
            long requests = counting.requests();
            long bytes = counting.bytes();
            long start = System.nanoTime();
            Optional<SyncOutcome.Result> result = Optional.empty();
            Optional<String> failure = Optional.empty();
            try {
                result = Optional.of(new Sync(config, source, ReleaseSources.backoff(config, Backoff.THREAD_SLEEP), FreeSpace.FILE_STORE, log,
                        Clock.systemUTC()).run().result());
            } catch (RuntimeException failed) {
                failure = Optional.of("agent " + index + ": " + failed.getMessage());
            }
            return new Poll(result, counting.requests() - requests, counting.bytes() - bytes, (System.nanoTime() - start) / 1e9, failure);
        }
    }

    /** What one round of polls cost and found. */
    private record Round(int polls, long requests, long bytes, Map<SyncOutcome.Result, Integer> results, int failures,
                         Optional<String> firstFailure, double[] sortedSeconds, double wallSeconds) {
        static Round of(List<SimulatedAgent.Poll> polls, double wallSeconds) {
            Map<SyncOutcome.Result, Integer> results = new TreeMap<>();
            polls.forEach(poll -> poll.result().ifPresent(result -> results.merge(result, 1, Integer::sum)));
            double[] seconds = polls.stream().mapToDouble(SimulatedAgent.Poll::seconds).sorted().toArray();
            return new Round(polls.size(), polls.stream().mapToLong(SimulatedAgent.Poll::requests).sum(),
                    polls.stream().mapToLong(SimulatedAgent.Poll::bytes).sum(), results,
                    (int) polls.stream().filter(poll -> poll.failure().isPresent()).count(),
                    polls.stream().flatMap(poll -> poll.failure().stream()).findFirst(), seconds, wallSeconds);
        }

        static Round merge(List<Round> rounds) {
            Map<SyncOutcome.Result, Integer> results = new TreeMap<>();
            rounds.forEach(round -> round.results().forEach((result, count) -> results.merge(result, count, Integer::sum)));
            return new Round(rounds.stream().mapToInt(Round::polls).sum(), rounds.stream().mapToLong(Round::requests).sum(),
                    rounds.stream().mapToLong(Round::bytes).sum(), results, rounds.stream().mapToInt(Round::failures).sum(),
                    rounds.stream().flatMap(round -> round.firstFailure().stream()).findFirst(),
                    rounds.stream().flatMapToDouble(round -> Arrays.stream(round.sortedSeconds())).sorted().toArray(),
                    rounds.stream().mapToDouble(Round::wallSeconds).sum());
        }

        double medianSeconds() {
            return PollSchedule.quantile(sortedSeconds, 0.5);
        }

        double slowestSeconds() {
            return sortedSeconds[sortedSeconds.length - 1];
        }

        String summary() {
            return String.format(Locale.ROOT, "%d polls in %.1f s: %s, %d failed%s; %d requests, %d body bytes; per poll median %.3f s,"
                            + " slowest %.3f s", polls, wallSeconds, results, failures, firstFailure.map(text -> " (" + text + ")").orElse(""),
                    requests, bytes, medianSeconds(), slowestSeconds());
        }
    }

    /** The peak resident set (VmHWM) of one {@code yolofleet-agent sync} process. */
    private record ProcessPeak(long peakKibibytes, double seconds, long wireToAgent, long wireToStore, long connections) {
        static ProcessPeak run(Path agentJar, Path conf, Path log, CountingRelay relay) throws IOException, InterruptedException {
            long toAgent = relay.toClient();
            long toStore = relay.toServer();
            long connections = relay.connections();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx64m", "-jar", agentJar.toString(), "sync", "--config", conf.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
            builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
            builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            // as on a Pi: the glibc allocator (bench/run preloads jemalloc without decay for DL4J), no injected JVM options
            builder.environment().keySet().removeAll(List.of("LD_PRELOAD", "MALLOC_CONF", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS"));
            long start = System.nanoTime();
            Process process = builder.start();
            Path status = Path.of("/proc", Long.toString(process.pid()), "status");
            long peak = 0;
            while (process.isAlive()) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("VmHWM:")) {
                            peak = Math.max(peak, Long.parseLong(line.replaceAll("[^0-9]", "")));
                        }
                    }
                } catch (IOException | NumberFormatException exited) {
                    // gone between isAlive and the read (or a zombie without memory lines): the last reading stands
                }
                Thread.sleep(5);
            }
            int exit = process.waitFor();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("the agent exited with " + exit + ": " + Files.readString(log));
            }
            Thread.sleep(200); // the relay's threads count what they wrote after writing it
            return new ProcessPeak(peak, seconds, relay.toClient() - toAgent, relay.toServer() - toStore, relay.connections() - connections);
        }

        static String summary(List<ProcessPeak> runs) {
            List<String> each = runs.stream().map(run -> String.format(Locale.ROOT, "%.0f", run.peakKibibytes() / 1024.0)).toList();
            long most = runs.stream().mapToLong(ProcessPeak::peakKibibytes).max().orElse(0);
            double seconds = runs.stream().mapToDouble(ProcessPeak::seconds).average().orElse(0);
            return String.format(Locale.ROOT, "peak RSS %s MiB (%d runs, max %.0f MiB; %.1f s per run); on the wire %s bytes from the store,"
                            + " %s to it, %s TCP connections", String.join(", ", each), runs.size(), most / 1024.0, seconds,
                    String.join("/", runs.stream().map(run -> Long.toString(run.wireToAgent())).distinct().toList()),
                    String.join("/", runs.stream().map(run -> Long.toString(run.wireToStore())).distinct().toList()),
                    String.join("/", runs.stream().map(run -> Long.toString(run.connections())).distinct().toList()));
        }

        /** The median bytes from the store to the agent over runs. */
        static long medianWireToAgent(List<ProcessPeak> runs) {
            long[] sorted = runs.stream().mapToLong(ProcessPeak::wireToAgent).sorted().toArray();
            return sorted[(sorted.length - 1) / 2];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "VmHWM %.0f MiB in %.1f s, %d bytes from the store, %d to it", peakKibibytes / 1024.0, seconds,
                    wireToAgent, wireToStore);
        }
    }
}
