package org.yolofleet.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.release.ChannelPointer;
import org.yolofleet.core.release.FileReleaseReader;
import org.yolofleet.core.release.ReleaseLayout;
import org.yolofleet.core.release.ReleaseVerifier;
import org.yolofleet.core.release.SigningKeys;
import org.yolofleet.core.release.TrustedKeys;
import org.yolofleet.core.release.VerifiedRelease;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.train.CompletedRun;
import org.yolofleet.train.TrainFixtures;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code yolofleet publish} killed with SIGKILL after each of its steps in turn, each time in a separate JVM: the channel
 * always names a complete release whose signature and artifacts verify, and the next run — the rerun of the one killed —
 * cleans up what the killed one left or finishes the release it had committed, until the channel serves the new release
 * and the store holds nothing half-written.
 */
class PublishKillAnywhereTest {
    private static final String MODEL = "tiny-yolo";
    private static final String CHANNEL = "nightly";

    /**
     * Where a publish is killed: just after it prints each of these (its log lines, in the order it prints them). Before
     * the gates nothing is written anywhere, so one kill stands for every step up to them (selecting, exporting, running
     * each export in its runtime).
     */
    private static final List<String> STEPS = List.of(
            "publish: regression gate",                    // gates passed: compiling, staging
            "files staged under",                          // every file staged and read back: committing
            "committed and verified as a device would");   // the release complete: the channel write next

    @Test
    void aPublishKilledAtEachStepLeavesTheChannelOnAVerifiedReleaseAndTheRerunFinishes(@TempDir Path root) throws Exception {
        Path runs = writeCompletedRun(root);
        Path store = root.resolve("store");
        Path privateKey = root.resolve("signing.pem");
        CommandLineRun keygen = CommandLineRun.of("publish", "keygen", "--private-key", privateKey.toString(), "--public-key",
                root.resolve("signing.pub.pem").toString());
        assertThat(keygen.exitCode()).as(keygen.err()).isZero();
        TrustedKeys trusted = TrustedKeys.of(List.of(SigningKeys.publicKeyOf(SigningKeys.readPrivateKey(privateKey))));
        List<String> arguments = List.of("publish", "--runs-root", runs.toUri().toString(), "--store", store.toString(), "--model", MODEL,
                "--channel", CHANNEL, "--signing-key", privateKey.toString(), "--set", "yolofleet.publish.faithfulness.images=4");

        CommandLineRun first = CommandLineRun.of(concat(arguments, "--version-name", "v1"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(servedAndVerified(store, trusted).manifest().version()).isEqualTo("v1");

        List<String> killedAt = new ArrayList<>();
        for (String step : STEPS) {
            ChildRun run = ChildRun.start(concat(arguments, "--version-name", "v2"), root.resolve("child-" + killedAt.size() + ".log"), step);
            if (run.killed()) {
                killedAt.add(step);
            }
            VerifiedRelease served = servedAndVerified(store, trusted);
            assertThat(served.manifest().version()).as("after the run stopped at '%s'", step).isIn("v1", "v2");
        }
        // the steps before the commit leave seconds of work behind them: those kills always land
        assertThat(killedAt).as("the runs killed").containsAll(STEPS.subList(0, 2));

        // the rerun after the last kill (in this JVM): moves the channel to the release the killed run committed, or finds
        // it served already when the kill came after the channel write
        CommandLineRun rerun = CommandLineRun.of(concat(arguments, "--version-name", "v2"));
        if (rerun.exitCode() != 0) {
            assertThat(rerun.exitCode()).as(rerun.err()).isEqualTo(ErrorType.USER.exitCode());
            assertThat(rerun.err()).contains("OUTPUT_EXISTS").contains("serves it");
        }
        VerifiedRelease served = servedAndVerified(store, trusted);
        assertThat(served.manifest().version()).isEqualTo("v2");
        assertThat(served.manifest().sequence()).isEqualTo(2);
        assertThat(served.manifest().parentVersion()).contains("v1");
        try (Stream<Path> files = Files.walk(store.resolve(ReleaseLayout.RELEASES))) {
            assertThat(files.map(store::relativize).map(Path::toString)).as("nothing half-written is left")
                    .noneMatch(name -> name.contains(".staging-"));
        }
        try (Stream<Path> releases = Files.list(store.resolve(ReleaseLayout.RELEASES).resolve(MODEL))) {
            assertThat(releases.map(release -> release.getFileName().toString())).containsExactlyInAnyOrder("v1", "v2");
        }
    }

    /** The channel's pointer, the release it names verified in full (signature, every artifact), and the two agreeing. */
    private static VerifiedRelease servedAndVerified(Path store, TrustedKeys trusted) throws IOException {
        ChannelPointer pointer = ChannelPointer.fromJson(Files.readAllBytes(store.resolve(ReleaseLayout.channelPointer(MODEL, CHANNEL))));
        VerifiedRelease verified = new ReleaseVerifier(trusted).verify(new FileReleaseReader(store), MODEL, pointer.version());
        assertThat(verified.manifestSha256()).isEqualTo(pointer.manifestSha256());
        assertThat(verified.manifest().sequence()).isEqualTo(pointer.sequence());
        return verified;
    }

    /** A complete run without training: an untrained 96 px network as its best checkpoint, the fixture's val split. */
    private static Path writeCompletedRun(Path root) throws IOException {
        Path shards = root.resolve("shards");
        TrainFixtures.writeShards(shards, 8, 8, 8);
        ModelSpec spec = TinyYoloV2.spec(TrainFixtures.CLASSES.size(), TinyYoloV2.VOC_ANCHORS, TrainFixtures.SIZE, TrainFixtures.SIZE,
                ResizeMode.LETTERBOX);
        Path runs = root.resolve("runs");
        Path checkpoint = runs.resolve("night-1/checkpoints/epoch-001/model.zip");
        Files.createDirectories(checkpoint.getParent());
        ModelCheckpoint.write(TinyYoloGraphBuilder.forSpec(spec).build(), spec, TrainFixtures.CLASSES, checkpoint, false);
        CompletedRun run = new CompletedRun("night-1", runs.resolve("night-1").toUri().toString(), checkpoint.toUri().toString(), 1, 0.0, 1,
                TrainFixtures.CLASSES, "2026-12-01T02:00:00Z", shards.toUri().toString());
        FileSystem local = FileSystem.getLocal(new Configuration());
        run.write(local, new org.apache.hadoop.fs.Path(runs.resolve("night-1/run.json").toUri()));
        run.write(local, new org.apache.hadoop.fs.Path(runs.resolve("latest.json").toUri()));
        return runs;
    }

    private static String[] concat(List<String> arguments, String... more) {
        return Stream.concat(arguments.stream(), Stream.of(more)).toArray(String[]::new);
    }

    /** One {@code yolofleet publish} in a JVM of its own, killed (SIGKILL) as soon as it prints {@code killAt}. */
    private record ChildRun(boolean killed, int exitCode) {
        static ChildRun start(String[] arguments, Path log, String killAt) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // this JVM's module flags (Spark's --add-opens), not its heap or agents
            ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                    .filter(argument -> argument.startsWith("--add-opens") || argument.startsWith("--add-exports"))
                    .forEach(command::add);
            command.addAll(List.of("-Xmx2g", "-Djava.awt.headless=true", "-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties")
                    .toAbsolutePath().normalize(), "-cp", System.getProperty("java.class.path"), YoloFleet.class.getName()));
            command.addAll(List.of(arguments));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean killed = false;
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = output.readLine()) != null) {
                    lines.add(line);
                    if (line.contains(killAt) && process.isAlive()) {
                        process.destroyForcibly();
                        killed = true;
                        break;
                    }
                }
                Files.write(log, lines);
            } finally {
                process.destroyForcibly();
            }
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            // SIGKILL: 128 + 9, unless it had exited on its own the very moment before
            killed = killed && process.exitValue() == 137;
            return new ChildRun(killed, process.exitValue());
        }
    }
}
