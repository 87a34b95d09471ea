package org.yolofleet.publish.compile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The process handling of {@link CompilerRunner}, driven by stand-in executables: small shell scripts this test
 * writes into a directory it puts on the runner's PATH, each named {@code standin-*}. They copy their input, print
 * text, exit with a code or sleep; none of them compiles anything, and nothing they write is a graph or a blob.
 */
class CompilerRunnerTest {
    @TempDir
    Path directory;

    private Path standins;
    private Path release;
    private Path input;
    private CompilerRunner runner;

    @org.junit.jupiter.api.BeforeEach
    void setUp() throws IOException {
        standins = Files.createDirectory(directory.resolve("standins"));
        release = directory.resolve("release");
        input = Files.writeString(directory.resolve("export.onnx"), "stand-in export bytes\n");
        // the stand-ins use cp, cat, sleep: the system directories follow the stand-ins on the runner's PATH
        runner = new CompilerRunner(SearchPath.parse(standins + ":/usr/bin:/bin"), 64);
    }

    @Test
    void aZeroExitWithOutputProducesTheArtifactAndLogsBothStreams() throws IOException {
        standin("standin-copy", """
                echo "stand-in copying $1"
                echo "stand-in note on stderr" >&2
                cp "$1" "$2"
                """);
        standin("standin-version", "echo; echo '  standin 1.2.3  '; echo second line");
        CompilerSpec spec = spec("copy", List.of("standin-copy", "${input}", "${output}"), Duration.ofMinutes(1), false)
                .withVersion(List.of("standin-version")).build();

        CompileOutcome outcome = runner.run(spec, input, release);

        assertThat(outcome.status()).isEqualTo(CompileOutcome.Status.PRODUCED);
        assertThat(outcome.output()).contains(release.resolve("model.out"));
        assertThat(release.resolve("model.out")).hasSameBinaryContentAs(input);
        assertThat(outcome.outputBytes()).isEqualTo(Files.size(input));
        assertThat(outcome.toolVersion()).contains("standin 1.2.3");
        assertThat(outcome.reason()).isEmpty();
        String log = Files.readString(outcome.log().orElseThrow());
        assertThat(log).contains("stand-in copying " + input.toAbsolutePath(), "stand-in note on stderr", "# exit code 0",
                "standin 1.2.3", "standin-copy");
        assertThat(release).isDirectoryNotContaining(path -> path.getFileName().toString().startsWith("version-"));
    }

    @Test
    void aNonZeroExitFailsWithTheCodeAndTheEndOfWhatItPrinted() throws IOException {
        standin("standin-fail", """
                i=0
                while [ $i -lt 50 ]; do echo "filler line $i"; i=$((i+1)); done
                echo "stand-in error: unsupported layer" >&2
                exit 3
                """);

        CompileOutcome outcome = runner.run(spec("fail", List.of("standin-fail", "${input}", "${output}"), Duration.ofMinutes(1), false).build(),
                input, release);

        assertThat(outcome.status()).isEqualTo(CompileOutcome.Status.FAILED);
        assertThat(outcome.reason()).startsWith("standin-fail exited with code 3").endsWith("stand-in error: unsupported layer")
                .doesNotContain("filler line 0");
        // the reason quotes at most the last 64 bytes; the log keeps everything
        assertThat(outcome.reason().substring(outcome.reason().indexOf('\n') + 1)).hasSizeLessThanOrEqualTo(64 + 3);
        assertThat(Files.readString(outcome.log().orElseThrow())).contains("filler line 0", "# exit code 3");
        assertThat(outcome.output()).isEmpty();
        assertThat(release.resolve("model.out")).doesNotExist();
    }

    @Test
    void aTimeoutStopsTheProcessAndItsChildren() throws IOException {
        Path pids = Files.createDirectory(directory.resolve("pids"));
        standin("standin-sleeper", """
                echo $$ > "$3/parent"
                sleep 60 &
                echo $! > "$3/child"
                wait
                """);

        CompileOutcome outcome = runner.run(spec("sleeper", List.of("standin-sleeper", "${input}", "${output}", pids.toString()),
                Duration.ofSeconds(1), false).build(), input, release);

        assertThat(outcome.status()).isEqualTo(CompileOutcome.Status.FAILED);
        assertThat(outcome.reason()).startsWith("standin-sleeper timed out after 1s (stopped with its 1 child processes)");
        long parent = Long.parseLong(Files.readString(pids.resolve("parent")).strip());
        long child = Long.parseLong(Files.readString(pids.resolve("child")).strip());
        assertThat(running(parent)).as("the stand-in's shell").isFalse();
        assertThat(running(child)).as("its child sleep").isFalse();
        assertThat(Files.readString(outcome.log().orElseThrow())).contains("# timed out after 1s");
    }

    @Test
    void aToolNotOnThePathIsSkippedWithTheReason() {
        CompileOutcome outcome = runner.run(spec("ncsdk", List.of("mvNCCompile", "${input}", "-o", "${output}"), Duration.ofMinutes(1), false)
                .build(), input, release);

        assertThat(outcome.status()).isEqualTo(CompileOutcome.Status.SKIPPED);
        assertThat(outcome.reason()).isEqualTo("mvNCCompile not found on PATH");
        assertThat(outcome.log()).isEmpty();
        assertThat(outcome.target()).isEqualTo(Target.NCS);
        assertThat(outcome.artifact()).isEqualTo("model.out");
    }

    @Test
    void aRequiredToolThatIsMissingFailsThePublish() {
        CompilerSpec spec = spec("ncsdk", List.of("mvNCCompile", "${input}", "-o", "${output}"), Duration.ofMinutes(1), true).build();

        assertThatThrownBy(() -> runner.run(spec, input, release))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.COMPILER_FAILED))
                .hasMessageContaining("compiler ncsdk (model.out for ncs) is required and was skipped: mvNCCompile not found on PATH")
                .hasMessageContaining("yolofleet.publish.compilers.ncsdk.required = false");
    }

    @Test
    void aZeroExitWithoutOutputOrWithAnEmptyOneFails() throws IOException {
        standin("standin-silent", "echo 'stand-in wrote nothing'");
        standin("standin-empty", ": > \"$2\"");

        CompileOutcome missing = runner.run(spec("silent", List.of("standin-silent", "${input}", "${output}"), Duration.ofMinutes(1), false)
                .build(), input, release);
        CompileOutcome empty = runner.run(spec("empty", List.of("standin-empty", "${input}", "${output}"), Duration.ofMinutes(1), false)
                .build(), input, release);

        assertThat(missing.status()).isEqualTo(CompileOutcome.Status.FAILED);
        assertThat(missing.reason()).startsWith("standin-silent exited with code 0 but wrote no model.out").contains("stand-in wrote nothing");
        assertThat(empty.status()).isEqualTo(CompileOutcome.Status.FAILED);
        assertThat(empty.reason()).startsWith("standin-empty exited with code 0 but wrote an empty model.out (0 bytes)");
        assertThat(release.resolve("model.out")).doesNotExist();
    }

    @Test
    void placeholdersAreTheInputTheOutputTheWorkingDirectoryAndTheWrittenConfigFile() throws IOException {
        standin("standin-echo", """
                echo "input=$2 workdir=$4 pwd=$(pwd)"
                cat "$6" > "$8"
                """);
        CompilerSpec spec = spec("echo", List.of("standin-echo", "-m", "${input}", "-w", "${workdir}", "-c", "${config}", "-o", "${output}"),
                Duration.ofMinutes(1), false)
                .withConfig("stand-in.conf", List.of("MYRIAD_ENABLE_MX_BOOT NO", "SECOND LINE")).build();

        CompileOutcome outcome = runner.run(spec, input, release);

        assertThat(outcome.status()).isEqualTo(CompileOutcome.Status.PRODUCED);
        assertThat(Files.readAllLines(release.resolve("model.out"))).containsExactly("MYRIAD_ENABLE_MX_BOOT NO", "SECOND LINE");
        String printed = Files.readAllLines(outcome.log().orElseThrow()).stream().filter(line -> line.startsWith("input=")).findFirst()
                .orElseThrow();
        String workdir = printed.substring(printed.indexOf("workdir=") + 8, printed.indexOf(" pwd="));
        assertThat(printed).startsWith("input=" + input.toAbsolutePath() + " ").endsWith("pwd=" + workdir);
        assertThat(Path.of(workdir)).doesNotExist();
    }

    @Test
    void runAllSkipsDisabledCompilersAndThoseWithoutTheirExport() throws IOException {
        standin("standin-copy", "cp \"$1\" \"$2\"");
        CompilerSpec copy = spec("copy", List.of("standin-copy", "${input}", "${output}"), Duration.ofMinutes(1), false).build();
        CompilerSpec graph = spec("graph", List.of("standin-copy", "${input}", "${output}"), Duration.ofMinutes(1), false)
                .withInputFormat(InputFormat.TF_FROZEN_GRAPH).withOutput("model.graph").build();
        CompilerSpec disabled = spec("off", List.of("standin-copy", "${input}", "${output}"), Duration.ofMinutes(1), false)
                .withOutput("off.out").disabled().build();

        List<CompileOutcome> outcomes = runner.runAll(new CompilerConfig(List.of(copy, graph, disabled)), Map.of(InputFormat.ONNX, input), release);

        assertThat(outcomes).extracting(CompileOutcome::status)
                .containsExactly(CompileOutcome.Status.PRODUCED, CompileOutcome.Status.SKIPPED, CompileOutcome.Status.SKIPPED);
        assertThat(outcomes.get(1).reason()).isEqualTo("no tf-frozen-graph export to compile");
        assertThat(outcomes.get(2).reason()).contains("disabled");
    }

    private void standin(String name, String body) throws IOException {
        Path script = Files.writeString(standins.resolve(name), "#!/bin/sh\n# stand-in for a vendor compiler, written by CompilerRunnerTest\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Whether a process runs: present in /proc and not a zombie (an unreaped, re-parented child runs nothing). */
    private static boolean running(long pid) throws IOException {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (NoSuchFileException gone) {
            return false;
        }
    }

    private static SpecBuilder spec(String name, List<String> command, Duration timeout, boolean required) {
        return new SpecBuilder(name, command, timeout, required);
    }

    /** A {@link CompilerSpec} with the defaults these tests share: onnx in, model.out out, for the first stick. */
    private static final class SpecBuilder {
        private final String name;
        private final List<String> command;
        private final Duration timeout;
        private final boolean required;
        private boolean enabled = true;
        private List<String> version = new ArrayList<>();
        private InputFormat inputFormat = InputFormat.ONNX;
        private String output = "model.out";
        private String configFile = "";
        private List<String> configLines = List.of();

        SpecBuilder(String name, List<String> command, Duration timeout, boolean required) {
            this.name = name;
            this.command = command;
            this.timeout = timeout;
            this.required = required;
        }

        SpecBuilder withVersion(List<String> version) {
            this.version = version;
            return this;
        }

        SpecBuilder withInputFormat(InputFormat inputFormat) {
            this.inputFormat = inputFormat;
            return this;
        }

        SpecBuilder withOutput(String output) {
            this.output = output;
            return this;
        }

        SpecBuilder withConfig(String file, List<String> lines) {
            this.configFile = file;
            this.configLines = lines;
            return this;
        }

        SpecBuilder disabled() {
            this.enabled = false;
            return this;
        }

        CompilerSpec build() {
            return new CompilerSpec(name, enabled, new CommandTemplate(command),
                    version.isEmpty() ? Optional.empty() : Optional.of(new CommandTemplate(version)),
                    inputFormat, output, Target.NCS, timeout, required, configFile, configLines);
        }
    }
}
