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
import java.util.Map;
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

    @Test
    void misspeltCommandLineKeyIsRefusedWithTheClosestKnownKey() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("train.optimiser.learning-rate=0.01")))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG))
                .hasMessage("[CONFIG] yolofleet.train.optimiser.learning-rate (--set) is not a known key;"
                        + " did you mean yolofleet.train.optimizer.learning-rate?");
    }

    @Test
    void misspeltFileKeyIsRefusedWithItsFileAndLine(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("user.conf");
        Files.writeString(file, """
                yolofleet {
                  train {
                    epochs = 3
                    batch-size-per-worker = 4
                  }
                }
                """);

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file.toFile()), List.of()))
                .hasMessage("[CONFIG] yolofleet.train.batch-size-per-worker (file " + file + " line 4) is not a known key;"
                        + " did you mean yolofleet.train.master.batch-size-per-worker?");
    }

    @Test
    void everyUnknownKeyIsReportedAtOnce(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("user.conf");
        Files.writeString(file, "yolofleet.augment.jiter = 0.3\nyolofleet.model.input-widht = 320\n");

        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file.toFile()), List.of("prepare.split.val-fractoin=0.2", "train.epochs=3")))
                .hasMessage("[CONFIG] 3 configuration keys are refused:\n"
                        + "  yolofleet.augment.jiter (file " + file + " line 1) is not a known key; did you mean yolofleet.augment.jitter?\n"
                        + "  yolofleet.model.input-widht (file " + file + " line 2) is not a known key;"
                        + " did you mean yolofleet.model.input-width or yolofleet.model.input-height?\n"
                        + "  yolofleet.prepare.split.val-fractoin (--set) is not a known key; did you mean yolofleet.prepare.split.val-fraction?");
    }

    @Test
    void keysBelowOpenMapsAreTheUsers(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("user.conf");
        Files.writeString(file, "yolofleet.spark.settings { \"spark.hadoop.fs.s3a.endpoint\" = \"http://127.0.0.1:9000\" }\n");

        Config config = ConfigLoader.load(Optional.of(file.toFile()), List.of("aliases.pedestrian=person", "classes=[person]",
                "spark.settings.\"spark.driver.memory\"=8g"));

        assertThat(new ConfigReader(config, "yolofleet").stringMap("aliases")).containsOnly(Map.entry("pedestrian", "person"));
        assertThat(new ConfigReader(config, "yolofleet.spark").stringMap("settings")).containsOnlyKeys("spark.hadoop.fs.s3a.endpoint", "spark.driver.memory");
    }

    @Test
    void aKnownKeyHoldingTheWrongKindOfNodeIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("train.validation=0.1")))
                .hasMessage("[CONFIG] yolofleet.train.validation (--set) is an object of keys (batch-size, distributed-above, nms-iou, threshold),"
                        + " not a single value; set one of them, e.g. yolofleet.train.validation.batch-size");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("train=1")))
                .hasMessage("[CONFIG] yolofleet.train (--set) is an object of keys (checkpoint-minutes, epochs, init, input, master,"
                        + " memory, ...), not a single value; set one of them, e.g. yolofleet.train.checkpoint-minutes");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("model.input-width.value=320")))
                .hasMessage("[CONFIG] yolofleet.model.input-width (--set) holds a single value, not an object of keys");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), List.of("aliases=person")))
                .hasMessage("[CONFIG] yolofleet.aliases (--set) is an object of keys you choose, like { a = b }, not a single value");
    }

    @Test
    void otherRootsPassButYolofleetSectionsWithoutTheRootAreRefused(@TempDir Path directory) throws IOException {
        Path helpers = directory.resolve("helpers.conf");
        Files.writeString(helpers, "bucket = \"s3://bucket\"\nyolofleet.prepare.output = ${bucket}\"/prepared\"\n");
        assertThat(ConfigLoader.load(Optional.of(helpers.toFile()), List.of()).getString("yolofleet.prepare.output"))
                .isEqualTo("s3://bucket/prepared");

        Path rootless = directory.resolve("rootless.conf");
        Files.writeString(rootless, "bucket = \"s3://bucket\"\nprepare {\n  inputs = [\"file:/x\"]\n  output = ${bucket}\"/prepared\"\n}\n");
        assertThatThrownBy(() -> ConfigLoader.load(Optional.of(rootless.toFile()), List.of()))
                .hasMessage("[CONFIG] 2 configuration keys are refused:\n"
                        + "  prepare.inputs (file " + rootless + " line 3) is outside the yolofleet root and would be ignored;"
                        + " did you mean yolofleet.prepare.inputs?\n"
                        + "  prepare.output (file " + rootless + " line 4) is outside the yolofleet root and would be ignored;"
                        + " did you mean yolofleet.prepare.output?");
    }

    @Test
    void theShippedConfigurationsLoad() {
        assertThat(ConfigLoader.load(ConfigLoader.local(), Optional.empty(), List.of()).getInt("yolofleet.train.epochs")).isEqualTo(4);
        assertThat(ConfigLoader.load(Optional.of(Path.of("..", "conf", "emr.conf").toFile()), List.of())
                .getStringList("yolofleet.classes")).containsExactly("car", "person", "bicycle");
        assertThat(ConfigLoader.load(Optional.of(Path.of("..", "conf", "local.conf").toFile()), List.of())
                .getInt("yolofleet.augment.copies")).isEqualTo(2);
    }

    @Test
    void detectDefaultsAreKeysLikeEveryOtherVerbs() {
        Config config = ConfigLoader.load(Optional.empty(), List.of("detect.threshold=0.5"));
        assertThat(config.getDouble("yolofleet.detect.threshold")).isEqualTo(0.5);
        assertThat(config.getDouble("yolofleet.detect.nms-iou")).isEqualTo(0.45);
    }

    private static PrepareConfig prepare(String... overrides) {
        List<String> all = new java.util.ArrayList<>(List.of("prepare.inputs=[\"file:/x\"]", "prepare.output=\"file:/y\""));
        all.addAll(List.of(overrides));
        return PrepareConfig.from(ConfigLoader.load(Optional.empty(), all));
    }
}
