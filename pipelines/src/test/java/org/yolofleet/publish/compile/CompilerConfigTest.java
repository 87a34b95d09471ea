package org.yolofleet.publish.compile;

import org.junit.jupiter.api.Test;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompilerConfigTest {
    @Test
    void theDefaultsCarryTheVendorCommandLinesWithTheirPlaceholdersAsWritten() {
        CompilerConfig config = load();

        assertThat(config.compilers()).extracting(CompilerSpec::name).containsExactly("ncsdk", "oak", "openvino-myriad");
        CompilerSpec ncsdk = config.enabled("ncsdk").orElseThrow();
        // quoted in HOCON, ${input} is not a substitution: it reaches the template as written
        assertThat(ncsdk.command().arguments())
                .containsExactly("mvNCCompile", "${input}", "-s", "12", "-in", "input", "-on", "output", "-o", "${output}");
        assertThat(ncsdk.inputFormat()).isEqualTo(InputFormat.TF_FROZEN_GRAPH);
        assertThat(ncsdk.target()).isEqualTo(Target.NCS);
        assertThat(ncsdk.timeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(ncsdk.required()).isFalse();
        assertThat(ncsdk.versionCommand()).isEmpty();

        CompilerSpec myriad = config.enabled("openvino-myriad").orElseThrow();
        assertThat(myriad.command().arguments())
                .containsExactly("compile_tool", "-m", "${input}", "-d", "MYRIAD", "-c", "${config}", "-o", "${output}");
        assertThat(myriad.configFile()).isEqualTo("myriad.conf");
        assertThat(myriad.configLines()).containsExactly("MYRIAD_ENABLE_MX_BOOT NO");
        assertThat(myriad.inputFormat()).isEqualTo(InputFormat.ONNX);
        assertThat(myriad.target()).isEqualTo(Target.NCS2);

        assertThat(config.enabled("oak")).isEmpty();
        assertThat(config.compilers()).filteredOn(spec -> spec.name().equals("oak")).singleElement()
                .satisfies(oak -> assertThat(oak.target()).isEqualTo(Target.OAK));
    }

    @Test
    void aCommandIsOverriddenFromTheCommandLineAndItsTimeoutToo() {
        CompilerConfig config = load("publish.compilers.ncsdk.command=[\"/opt/movidius/bin/mvNCCompile\", \"${input}\", \"-o\", \"${output}\"]",
                "publish.compilers.ncsdk.timeout=90s", "publish.compilers.ncsdk.required=true");

        CompilerSpec ncsdk = config.enabled("ncsdk").orElseThrow();
        assertThat(ncsdk.command().arguments()).containsExactly("/opt/movidius/bin/mvNCCompile", "${input}", "-o", "${output}");
        assertThat(ncsdk.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(ncsdk.required()).isTrue();
    }

    @Test
    void anUnknownPlaceholderIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.command=[mvNCCompile, \"${inptu}\", \"-o\", \"${output}\"]"))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("yolofleet.publish.compilers.ncsdk.command")
                .hasMessageContaining("unknown placeholder ${inptu}")
                .hasMessageContaining("allowed: ${input}, ${output}, ${workdir}, ${config}");
    }

    @Test
    void inconsistentCompilersAreRefusedAtStart() {
        assertThatThrownBy(() -> load("publish.compilers.oak.required=true"))
                .hasMessageContaining("yolofleet.publish.compilers.oak").hasMessageContaining("enabled = false");
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.command=[mvNCCompile, \"${input}\"]"))
                .hasMessageContaining("does not use ${output}");
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.command=[mvNCCompile, \"${input}\", \"-c\", \"${config}\", \"-o\", \"${output}\"]"))
                .hasMessageContaining("uses ${config} but config-file is empty");
        assertThatThrownBy(() -> load("publish.compilers.oak.enabled=true", "publish.compilers.oak.output=model.blob"))
                .hasMessageContaining("both write model.blob");
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.timeout=0s")).hasMessageContaining("timeout = \"0s\" is outside");
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.target=ncs3")).hasMessageContaining("use one of ncs, ncs2, oak");
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.output=\"../model.graph\"")).hasMessageContaining("plain file name");
    }

    @Test
    void aMisspeltCompilerKeyIsRefusedByTheKeyCheck() {
        assertThatThrownBy(() -> load("publish.compilers.ncsdk.timout=1m"))
                .hasMessageContaining("yolofleet.publish.compilers.ncsdk.timout").hasMessageContaining("did you mean");
    }

    private static CompilerConfig load(String... overrides) {
        return CompilerConfig.from(ConfigLoader.load(Optional.empty(), List.of(overrides)));
    }
}
