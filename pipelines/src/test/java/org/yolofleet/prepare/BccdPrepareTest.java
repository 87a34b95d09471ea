package org.yolofleet.prepare;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.testing.LocalSpark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-data check: the BCCD blood-cell dataset (../shared/datasets/bccd, MIT, exactly as published) goes
 * through prepare with its ImageSets splits, and its flaws are reported. Its known flaws, found independently:
 * a zero-area box in BloodImage_00338.xml (object 12) and in BloodImage_00343.xml (object 3); nothing else (no bad XML, no missing or duplicate images).
 */
class BccdPrepareTest {
    @Test
    void preparesTheRealDatasetAndReportsItsFlaws(@TempDir Path directory) {
        Path bccd = Path.of(System.getProperty("yolofleet.bccd.dir", "../shared/datasets/bccd")).toAbsolutePath().normalize();
        assertThat(bccd.resolve("Annotations")).as("the shared BCCD dataset (surefire sets yolofleet.bccd.dir)").isDirectory();
        String output = directory.resolve("bccd-prepared").toUri().toString();

        PrepareSummary summary = new PrepareStage(LocalSpark.session(), PrepareConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "classes=[RBC, WBC, Platelets]",
                "prepare.inputs=[\"" + bccd.toUri() + "\"]",
                "prepare.output=\"" + output + "\"",
                "prepare.split.mode=imagesets",
                "prepare.split.train-list=trainval",
                "prepare.split.val-list=test"))), Clock.systemUTC()).run();

        DatasetManifest manifest = summary.manifest();
        assertThat(manifest.records().seen()).isEqualTo(364);
        assertThat(manifest.records().kept()).isEqualTo(364);
        assertThat(manifest.records().rejected()).isZero();
        assertThat(manifest.quarantineByReason()).containsOnlyKeys("BOX_ZERO_AREA").containsEntry("BOX_ZERO_AREA", 2L);
        List<Row> quarantine = LocalSpark.session().read().parquet(output + "/quarantine").collectAsList();
        assertThat(quarantine).extracting(row -> row.getString(row.fieldIndex("path")).replaceAll(".*/", "") + "#" + row.getInt(row.fieldIndex("object_index")))
                .containsExactlyInAnyOrder("BloodImage_00338.xml#12", "BloodImage_00343.xml#3");

        // the splits are the published ImageSets lists: trainval -> train, test -> val
        long listedVal = countLines(bccd.resolve("ImageSets/Main/test.txt"));
        assertThat(manifest.splits().get("val").images()).isEqualTo(listedVal);
        assertThat(manifest.splits().get("train").images()).isEqualTo(364 - listedVal);
        assertThat(manifest.records().objects()).isGreaterThan(4_800);
        assertThat(manifest.splits().get("train").objectsPerClass()).containsOnlyKeys("RBC", "WBC", "Platelets")
                .allSatisfy((name, count) -> assertThat(count).isGreaterThan(100));
        assertThat(manifest.anchors().meanIou()).isGreaterThan(manifest.anchors().vocDefaultMeanIou());
    }

    private static long countLines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).count();
        } catch (java.io.IOException exception) {
            throw new java.io.UncheckedIOException(exception);
        }
    }
}
