package org.yolofleet.emr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.emr.config.LauncherConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bootstrap scripts parse ({@code bash -n}); shellcheck is not on every build machine, so {@code emr/check-scripts.sh}
 * runs it where installed.
 */
class BootstrapScriptsTest {

    static int bashSyntax(Path script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("bootstrap"))) {
            return Stream.concat(files.filter(file -> file.toString().endsWith(".sh")), Stream.of(Path.of("check-scripts.sh"), Path.of("yolofleet-emr"))).sorted().toList();
        }
    }

    @Test
    void everyScriptParsesAndStopsOnTheFirstError() throws Exception {
        assertThat(scripts()).hasSizeGreaterThanOrEqualTo(3);
        for (Path script : scripts()) {
            assertThat(bashSyntax(script)).as(script.toString()).isZero();
            assertThat(Files.readString(script)).as(script.toString()).startsWith("#!/bin/bash\n").contains("set -euo pipefail");
            assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
        }
    }

    @Test
    void theSyntaxCheckRefusesABrokenScript(@TempDir Path temporary) throws Exception {
        Path broken = temporary.resolve("broken.sh");
        Files.writeString(broken, "#!/bin/bash\nif true; then\n  echo unterminated\n");
        assertThat(bashSyntax(broken)).isNotZero();
    }

    @Test
    void theScriptsInstallWhatTheTemplateUses() throws IOException {
        LauncherConfig config = LauncherConfig.load(Path.of("conf/emr-launcher.conf"), List.of());
        assertThat(Files.readString(Path.of("bootstrap/install-jemalloc.sh"))).contains("dnf install -y jemalloc")
                .contains(config.cluster().spark().jemallocLibrary());
        assertThat(Files.readString(Path.of("bootstrap/install-openvino.sh")))
                .contains("l_openvino_toolkit_rhel8_2022.3.0.9052.9752fafe8eb_x86_64").contains("/usr/local/bin/compile_tool")
                .contains("setupvars.sh");
    }
}
