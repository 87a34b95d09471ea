package org.yolofleet.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.prepare.PrepareConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @Test
    void defaultsComeFromConfDefaultsConf() {
        Config config = ConfigLoader.load(Optional.empty(), List.of());
        assertThat(config.getInt("yolofleet.model.input-width")).isEqualTo(416);
        assertThat(config.getDouble("yolofleet.prepare.quarantine.max-rejected-fraction")).isEqualTo(0.05);
    }

    @Test
    void fileThenCommandLineOverride(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("user.conf");
        Files.writeString(file, "yolofleet.prepare.split.val-fraction = 0.3\nyolofleet.model.input-width = 160\n");
        Config config = ConfigLoader.load(Optional.of(file.toFile()),
                List.of("prepare.split.val-fraction=0.25", "yolofleet.classes=[a, b]", "prepare.inputs=[\"file:/x\"]",
                        "prepare.output=\"file:/y\""));
        assertThat(config.getDouble("yolofleet.prepare.split.val-fraction")).isEqualTo(0.25);
        assertThat(config.getInt("yolofleet.model.input-width")).isEqualTo(160);
        PrepareConfig prepare = PrepareConfig.from(config);
        assertThat(prepare.rules().classes()).containsExactly("a", "b");
        assertThat(prepare.sourceNames()).containsExactly("x");
        assertThat(prepare.modelInput()).isEqualTo(new ModelInput(160, 416, ResizeMode.LETTERBOX));
    }

    @Test
    void errorsNameTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> prepare("prepare.split.val-fraction=1.5"))
                .isInstanceOf(YoloFleetException.class)
                .hasMessageContaining("yolofleet.prepare.split.val-fraction = 1.5")
                .hasMessageContaining("[0.0, 1.0)");
        assertThatThrownBy(() -> prepare("prepare.split.mode=random"))
                .hasMessageContaining("yolofleet.prepare.split.mode = random")
                .hasMessageContaining("hash, imagesets");
        assertThatThrownBy(() -> prepare("model.input-width=400"))
                .hasMessageContaining("yolofleet.model.input-width = 400")
                .hasMessageContaining("multiple of 32");
        assertThatThrownBy(() -> prepare("prepare.image.jpeg-quality=abc"))
                .hasMessageContaining("yolofleet.prepare.image.jpeg-quality");
        assertThatThrownBy(() -> PrepareConfig.from(ConfigLoader.load(Optional.empty(), List.of("prepare.output=\"file:/y\""))))
                .hasMessageContaining("yolofleet.prepare.inputs is empty");
        assertThatThrownBy(() -> prepare("prepare.source-names=[a]", "prepare.inputs=[\"file:/x\", \"file:/z\"]"))
                .hasMessageContaining("yolofleet.prepare.source-names has 1 names for 2 inputs");
    }

    @Test
    void sourceNamesDefaultToUniqueLastSegments() {
        PrepareConfig config = prepare("prepare.inputs=[\"s3a://bucket/a/voc\", \"file:/data/voc/\", \"file:/data/other\"]");
        assertThat(config.sourceNames()).containsExactly("voc", "voc-2", "other");
    }

    @Test
    void malformedOverrideIsAConfigError() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("no-equals-sign")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessageContaining("key=value");
    }

    private static PrepareConfig prepare(String... overrides) {
        List<String> all = new java.util.ArrayList<>(List.of("prepare.inputs=[\"file:/x\"]", "prepare.output=\"file:/y\""));
        all.addAll(List.of(overrides));
        return PrepareConfig.from(ConfigLoader.load(Optional.empty(), all));
    }
}
