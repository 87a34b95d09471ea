package org.yolofleet.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.release.ReleaseFixtures;
import org.yolofleet.device.install.InstallDirectory;
import org.yolofleet.device.install.InstanceLock;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code yolofleet-agent} command line over a file: store: what an operator types and sees. */
class AgentTest {
    @TempDir
    Path directory;

    private DeviceFixture fixture;
    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new DeviceFixture(directory);
    }

    @Test
    void syncThenStatusListAndVerify() throws IOException {
        fixture.publish("v1", 1);
        config = fixture.configFile();

        Run sync = run("sync", "--config", config.toString());
        assertThat(sync.exit).isZero();
        assertThat(sync.out).contains("event=installed version=v1");

        Run status = run("status", "--config", config.toString(), "--json");
        assertThat(status.exit).isZero();
        JsonNode json = new ObjectMapper().readTree(status.out);
        assertThat(json.get("current").asText()).isEqualTo("v1");
        assertThat(json.get("state").get("lastError").isNull()).isTrue();

        Run human = run("status", "--config", config.toString());
        assertThat(human.out).contains("current: v1 (sequence 1");

        Run list = run("list", "--config", config.toString());
        assertThat(list.out).contains("* v1", "model.onnx");

        Run verify = run("verify", "--config", config.toString());
        assertThat(verify.exit).isZero();
        assertThat(verify.out).contains("verified v1", fixture.signer.keyId());
    }

    @Test
    void verifyDetectsATamperedInstalledFile() throws IOException {
        fixture.publish("v1", 1);
        config = fixture.configFile();
        assertThat(run("sync", "--config", config.toString()).exit).isZero();
        Path installed = fixture.install().currentLink().resolve(ReleaseFixtures.ONNX);
        byte[] bytes = Files.readAllBytes(installed);
        bytes[10] ^= 1;
        Files.write(installed, bytes);

        Run verify = run("verify", "--config", config.toString());

        assertThat(verify.exit).isEqualTo(ErrorType.REFUSED.exitCode());
        assertThat(verify.err).contains("[RELEASE_TAMPERED]", "model.onnx");
    }

    @Test
    void aRefusedReleaseShowsItsReasonInStatus() throws IOException {
        fixture.publish("v2", 2);
        config = fixture.configFile();
        run("sync", "--config", config.toString());
        fixture.point(fixture.release("v1", 1));

        Run sync = run("sync", "--config", config.toString());
        assertThat(sync.exit).isEqualTo(ErrorType.REFUSED.exitCode());
        assertThat(sync.err).contains("error: [RELEASE_NOT_NEWER]");

        Run status = run("status", "--config", config.toString());
        assertThat(status.out).contains("current: v2", "last error:", "[RELEASE_NOT_NEWER]");
    }

    @Test
    void rollbackReturnsToThePreviousReleaseAndSyncDoesNotReinstallTheNewerOne() throws IOException {
        fixture.publish("v1", 1);
        config = fixture.configFile();
        run("sync", "--config", config.toString());
        fixture.publish("v2", 2);
        run("sync", "--config", config.toString());
        InstallDirectory install = fixture.install();
        assertThat(install.currentVersion()).contains("v2");

        Run rollback = run("rollback", "--config", config.toString());

        assertThat(rollback.exit).isZero();
        assertThat(rollback.out).contains("event=rolled-back version=v1", "current: v1");
        assertThat(install.currentVersion()).contains("v1");
        assertThat(install.stateFile().read().rollbackHold().orElseThrow().version()).isEqualTo("v2");

        // the channel still serves v2, even after its pointer is rewritten (new ETag): held
        fixture.publish("v2", 2);
        Run held = run("sync", "--config", config.toString());
        assertThat(held.exit).isZero();
        assertThat(install.currentVersion()).contains("v1");
        Files.writeString(fixture.store.resolve("channels/" + DeviceFixture.MODEL + "/" + DeviceFixture.CHANNEL + ".json"), "\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(run("sync", "--config", config.toString()).out).contains("event=held-by-rollback version=v2");
        assertThat(install.currentVersion()).contains("v1");

        // a newer sequence ends the hold
        fixture.publish("v3", 3);
        assertThat(run("sync", "--config", config.toString()).exit).isZero();
        assertThat(install.currentVersion()).contains("v3");
        assertThat(install.stateFile().read().rollbackHold()).isEmpty();

        // nothing older than the oldest kept release: refused, nothing changed
        fixture.configure("keep-releases = 1");
        config = fixture.configFile();
        fixture.publish("v4", 4);
        run("sync", "--config", config.toString());
        Run nothing = run("rollback", "--config", config.toString());
        assertThat(nothing.exit).isEqualTo(ErrorType.USER.exitCode());
        assertThat(install.currentVersion()).contains("v4");
    }

    @Test
    void aSecondAgentExitsCleanlyWhileTheFirstHoldsTheLock() throws IOException {
        fixture.publish("v1", 1);
        config = fixture.configFile();
        try (InstanceLock held = InstanceLock.acquire(fixture.install().lockFile(), Duration.ZERO).orElseThrow()) {
            Run second = run("sync", "--config", config.toString());
            assertThat(second.exit).isEqualTo(Agent.EXIT_LOCKED);
            assertThat(second.err).contains("another yolofleet-agent holds");
            assertThat(fixture.install().currentVersion()).isEmpty();
        }
        assertThat(run("sync", "--config", config.toString()).exit).isZero();
    }

    @Test
    void anAgentInAnotherProcessKeepsASecondOneOut() throws Exception {
        fixture.publish("v1", 1);
        Path started = directory.resolve("started");
        fixture.configure("health-check.command = \"touch " + started + "; sleep 4\"");
        config = fixture.configFile();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), Agent.class.getName(), "sync", "--config", config.toString()));
        Process first = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(directory.resolve("first.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(started) && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(started).as(Files.readString(directory.resolve("first.log"))).exists();

            Run second = run("sync", "--config", config.toString());

            assertThat(second.exit).isEqualTo(Agent.EXIT_LOCKED);
            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(Files.readString(directory.resolve("first.log"))).isZero();
            assertThat(fixture.install().currentVersion()).contains("v1");
        }
        finally {
            first.destroyForcibly();
        }
    }

    @Test
    void helpListsEveryCommand() {
        Run help = run("--help");
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("sync", "status", "rollback", "verify", "list");
        assertThat(run("sync", "--help").out).contains("--config", "--loop");
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine line = Agent.commandLine();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(arguments);
        return new Run(exit, out.toString(), err.toString());
    }
}
