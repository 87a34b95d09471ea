package org.yolofleet.prepare;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.config.ConfigLoader;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.testing.LocalSpark;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real-data check: 24 records of the BCCD blood-cell dataset (the test resource {@code dataset/bccd-subset}, MIT,
 * files unchanged; its README says which and why) go through prepare with their ImageSets splits, and their flaws are
 * reported. The flaws are the full dataset's only ones, found independently: a zero-area box in BloodImage_00338.xml
 * (object 12) and in BloodImage_00343.xml (object 3); no bad XML, no missing or duplicate images. The data lives in the
 * repository, so the test passes on any clone.
 */
class BccdPrepareTest {
    @Test
    void preparesTheBccdSubsetAndReportsItsFlaws(@TempDir Path directory) throws URISyntaxException {
        Path bccd = Path.of(BccdPrepareTest.class.getResource("/dataset/bccd-subset").toURI());
        String output = directory.resolve("bccd-prepared").toUri().toString();

        PrepareSummary summary = new PrepareStage(LocalSpark.session(), PrepareConfig.from(ConfigLoader.load(Optional.empty(), List.of(
                "classes=[RBC, WBC, Platelets]",
                "prepare.inputs=[\"" + bccd.toUri() + "\"]",
                "prepare.output=\"" + output + "\"",
                "prepare.split.mode=imagesets",
                "prepare.split.train-list=trainval",
                "prepare.split.val-list=test"))), Clock.systemUTC()).run();

        DatasetManifest manifest = summary.manifest();
        assertThat(manifest.records().seen()).isEqualTo(24);
        assertThat(manifest.records().kept()).isEqualTo(24);
        assertThat(manifest.records().rejected()).isZero();
        assertThat(manifest.quarantineByReason()).containsOnlyKeys("BOX_ZERO_AREA").containsEntry("BOX_ZERO_AREA", 2L);
        List<Row> quarantine = LocalSpark.session().read().parquet(output + "/quarantine").collectAsList();
        assertThat(quarantine).extracting(row -> row.getString(row.fieldIndex("path")).replaceAll(".*/", "") + "#" + row.getInt(row.fieldIndex("object_index")))
                .containsExactlyInAnyOrder("BloodImage_00338.xml#12", "BloodImage_00343.xml#3");

        // Counted from the files: the ImageSets lists have 16 (trainval) and 8 (test) ids, and the <object>s of
        // their annotations by <name>, less the two zero-area RBC boxes (both in trainval records), are
        // train 224 RBC, 17 WBC, 38 Platelets and val 99 RBC, 7 WBC, 21 Platelets: 406 objects in all.
        assertThat(manifest.splits().get("train").images()).isEqualTo(16);
        assertThat(manifest.splits().get("val").images()).isEqualTo(8);
        assertThat(manifest.records().objects()).isEqualTo(406);
        assertThat(manifest.splits().get("train").objectsPerClass()).containsExactlyInAnyOrderEntriesOf(Map.of("RBC", 224L, "WBC", 17L, "Platelets", 38L));
        assertThat(manifest.splits().get("val").objectsPerClass()).containsExactlyInAnyOrderEntriesOf(Map.of("RBC", 99L, "WBC", 7L, "Platelets", 21L));
        assertThat(manifest.anchors().meanIou()).isGreaterThan(manifest.anchors().vocDefaultMeanIou());
    }
}
