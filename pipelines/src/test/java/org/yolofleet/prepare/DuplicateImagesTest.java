package org.yolofleet.prepare;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.PreparedObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateImagesTest {
    private static final PreparedObject CAR = new PreparedObject(0, "car", 10, 20, 60, 80, false, false);
    private static final PreparedObject PERSON = new PreparedObject(1, "person", 100, 20, 140, 110, false, false);

    @Test
    void theFirstListedSourceThenTheSmallestAnnotationPathKeepsTheImageWhateverTheOrderGiven() {
        DuplicateImages.Copy second = copy("b", 1, "b/Annotations/a.xml", "b/JPEGImages/a.jpg", List.of(CAR));
        DuplicateImages.Copy firstZ = copy("a", 0, "a/Annotations/z.xml", "a/JPEGImages/z.jpg", List.of(CAR));
        DuplicateImages.Copy firstB = copy("a", 0, "a/Annotations/b.xml", "a/JPEGImages/z.jpg", List.of(CAR));
        List<DuplicateImages.Copy> copies = new ArrayList<>(List.of(second, firstZ, firstB));
        DuplicateImages.Resolution expected = DuplicateImages.resolve(copies);

        assertThat(expected.droppedAnnotationPaths()).containsExactly("a/Annotations/z.xml", "b/Annotations/a.xml");
        for (long seed = 0; seed < 5; seed++) {
            Collections.shuffle(copies, new Random(seed));
            assertThat(DuplicateImages.resolve(copies)).isEqualTo(expected);
        }
    }

    @Test
    void theRowNamesTheDroppedAnnotationAndItsDetailTheSurvivor() {
        DuplicateImages.Resolution sameFile = DuplicateImages.resolve(List.of(
                copy("voc", 0, "voc/Annotations/2008_000123_relabelled.xml", "voc/JPEGImages/2008_000123.jpg", List.of(CAR)),
                copy("voc", 0, "voc/Annotations/2008_000123.xml", "voc/JPEGImages/2008_000123.jpg", List.of(CAR))));

        assertThat(sameFile.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.reason()).isEqualTo(QuarantineReason.DUPLICATE_IMAGE);
            assertThat(entry.path()).isEqualTo("voc/Annotations/2008_000123_relabelled.xml");
            assertThat(entry.objectIndex()).isEqualTo(QuarantineEntry.WHOLE_RECORD);
            assertThat(entry.detail()).isEqualTo("names the same image voc/JPEGImages/2008_000123.jpg as"
                    + " voc/Annotations/2008_000123.xml, which was kept");
        });

        DuplicateImages.Resolution copiedFile = DuplicateImages.resolve(List.of(
                copy("site-a", 0, "a/Annotations/x.xml", "a/JPEGImages/x.jpg", List.of(CAR)),
                copy("site-b", 1, "b/Annotations/y.xml", "b/JPEGImages/y.jpg", List.of(CAR))));
        assertThat(copiedFile.entries()).singleElement().satisfies(entry -> {
            assertThat(entry.source()).isEqualTo("site-b");
            assertThat(entry.path()).isEqualTo("b/Annotations/y.xml");
            assertThat(entry.detail()).isEqualTo("its image b/JPEGImages/y.jpg has the same content (sha256 hash) as a/JPEGImages/x.jpg"
                    + " of a/Annotations/x.xml (source site-a), which was kept");
        });
    }

    @Test
    void boxesThatDifferAddAConflictNamingBoth() {
        PreparedObject movedCar = new PreparedObject(0, "car", 10, 20, 60, 95, false, false);
        DuplicateImages.Resolution resolution = DuplicateImages.resolve(List.of(
                copy("voc", 0, "voc/Annotations/a.xml", "voc/JPEGImages/a.jpg", List.of(CAR, PERSON)),
                copy("voc", 0, "voc/Annotations/b.xml", "voc/JPEGImages/a.jpg", List.of(PERSON, movedCar))));

        assertThat(resolution.entries()).extracting(QuarantineEntry::reason)
                .containsExactly(QuarantineReason.DUPLICATE_IMAGE, QuarantineReason.DUPLICATE_CONFLICT);
        QuarantineEntry conflict = resolution.entries().get(1);
        assertThat(conflict.reason().severity()).isEqualTo(QuarantineReason.Severity.WARNING);
        assertThat(conflict.path()).isEqualTo("voc/Annotations/b.xml");
        assertThat(conflict.detail()).isEqualTo("the boxes of voc/Annotations/b.xml (dropped, 2 objects) differ from those of"
                + " voc/Annotations/a.xml (kept, 2 objects): only in the dropped one car (10.0, 20.0)-(60.0, 95.0);"
                + " only in the kept one car (10.0, 20.0)-(60.0, 80.0)");
    }

    @Test
    void boxesAreTheSameInAnyOrderWithinTheToleranceAndOfTheSameClass() {
        PreparedObject nudged = new PreparedObject(0, "car", 10.5, 19, 61, 80.9, true, false);
        assertThat(DuplicateImages.sameBoxes(List.of(CAR, PERSON), List.of(PERSON, nudged))).isTrue();
        assertThat(DuplicateImages.sameBoxes(List.of(), List.of())).isTrue();

        PreparedObject otherClass = new PreparedObject(1, "person", 10, 20, 60, 80, false, false);
        PreparedObject beyondTolerance = new PreparedObject(0, "car", 10, 20, 61.5, 80, false, false);
        assertThat(DuplicateImages.sameBoxes(List.of(CAR), List.of(otherClass))).isFalse();
        assertThat(DuplicateImages.sameBoxes(List.of(CAR), List.of(beyondTolerance))).isFalse();
        assertThat(DuplicateImages.sameBoxes(List.of(CAR), List.of(CAR, CAR))).isFalse();
        assertThat(DuplicateImages.sameBoxes(List.of(CAR, CAR), List.of(CAR, nudged))).isTrue();
        assertThat(DuplicateImages.sameBoxes(List.of(CAR), List.of())).isFalse();
    }

    @Test
    void eachContentIsResolvedApartAndALoneCopyIsLeftAlone() {
        DuplicateImages.Resolution resolution = DuplicateImages.resolve(List.of(
                copy("voc", 0, "voc/Annotations/a.xml", "voc/JPEGImages/a.jpg", "first", List.of(CAR)),
                copy("voc", 0, "voc/Annotations/b.xml", "voc/JPEGImages/b.jpg", "second", List.of(CAR)),
                copy("voc", 0, "voc/Annotations/c.xml", "voc/JPEGImages/a.jpg", "first", List.of(CAR)),
                copy("voc", 0, "voc/Annotations/d.xml", "voc/JPEGImages/a.jpg", "first", List.of())));

        assertThat(resolution.droppedAnnotationPaths()).containsExactly("voc/Annotations/c.xml", "voc/Annotations/d.xml");
        assertThat(resolution.entries()).extracting(QuarantineEntry::path, QuarantineEntry::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple("voc/Annotations/c.xml", QuarantineReason.DUPLICATE_IMAGE),
                org.assertj.core.groups.Tuple.tuple("voc/Annotations/d.xml", QuarantineReason.DUPLICATE_IMAGE),
                org.assertj.core.groups.Tuple.tuple("voc/Annotations/d.xml", QuarantineReason.DUPLICATE_CONFLICT));
    }

    private static DuplicateImages.Copy copy(String source, int sourceIndex, String annotationPath, String imagePath,
                                             List<PreparedObject> objects) {
        return copy(source, sourceIndex, annotationPath, imagePath, "hash", objects);
    }

    private static DuplicateImages.Copy copy(String source, int sourceIndex, String annotationPath, String imagePath, String contentHash,
                                             List<PreparedObject> objects) {
        return new DuplicateImages.Copy(source, sourceIndex, annotationPath, imagePath, contentHash, objects);
    }
}
