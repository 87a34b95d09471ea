package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Five real records of the BCCD blood-cell dataset (MIT licence, see the resource folder), unchanged. */
class BccdSubsetTest {
    @Test
    void realRecordsComeOutWithAllTheirObjects() throws IOException, URISyntaxException {
        Path root = Path.of(BccdSubsetTest.class.getResource("/dataset/bccd-subset").toURI());
        assertThat(root.resolve("LICENSE")).content().contains("MIT License", "Copyright (c) 2017 shenggan");
        VocRecordProcessor processor = new VocRecordProcessor(RecordRules.withDefaults(List.of("RBC", "WBC", "Platelets"), Map.of()));
        DirectoryImageStore images = new DirectoryImageStore(root.resolve("JPEGImages"));

        Map<String, Integer> objects = new TreeMap<>();
        Map<String, Long> white = new TreeMap<>();
        for (int index = 0; index < 5; index++) {
            Path annotation = root.resolve("Annotations/BloodImage_0000" + index + ".xml");
            PrepareOutcome outcome = processor.process("bccd", annotation.toString(), Files.readAllBytes(annotation), images);
            assertThat(outcome.quarantineEntries()).as(annotation.toString()).isEmpty();
            PreparedImage image = outcome.image().orElseThrow();
            assertThat(image.width()).isEqualTo(640);
            assertThat(image.height()).isEqualTo(480);
            objects.put(image.imageId(), image.objects().size());
            white.put(image.imageId(), image.objects().stream().filter(object -> object.className().equals("WBC")).count());
        }

        assertThat(objects).containsExactlyEntriesOf(new TreeMap<>(Map.of("BloodImage_00000", 20, "BloodImage_00001", 19,
                "BloodImage_00002", 16, "BloodImage_00003", 17, "BloodImage_00004", 13)));
        assertThat(white.values()).as("one white blood cell each").containsOnly(1L);
    }
}
