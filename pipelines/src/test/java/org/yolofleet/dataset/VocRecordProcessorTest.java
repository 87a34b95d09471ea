package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.SampleImages;
import org.yolofleet.core.image.TestPictures;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VocRecordProcessorTest {
    private static final RecordRules RULES = RecordRules.withDefaults(List.of("circle", "square"), Map.of());
    private final VocRecordProcessor processor = new VocRecordProcessor(RULES);
    private final byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());

    @Test
    void preparesAGoodRecord() throws NoSuchAlgorithmException {
        byte[] xml = VocXml.annotation("000001.jpg").size(160, 120).twoBoxes().bytes();

        PrepareOutcome outcome = processor.process("voc", "s3a://bucket/voc/Annotations/000001.xml", xml,
                InMemoryImageStore.of("000001.jpg", jpeg));

        assertThat(outcome.rejections()).isEmpty();
        PreparedImage image = outcome.image().orElseThrow();
        assertThat(image.source()).isEqualTo("voc");
        assertThat(image.imageId()).isEqualTo("000001");
        assertThat(image.annotationPath()).isEqualTo("s3a://bucket/voc/Annotations/000001.xml");
        assertThat(image.imagePath()).isEqualTo("JPEGImages/000001.jpg");
        assertThat(image.contentHash()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg)));
        assertThat(image.width()).isEqualTo(160);
        assertThat(image.height()).isEqualTo(120);
        assertThat(image.objects()).containsExactly(new PreparedObject(0, "circle", 20, 30, 70, 90, false, false),
                new PreparedObject(1, "square", 100, 20, 150, 60, false, false));
        assertThat(image.warnings()).isEmpty();
        assertThat(TestPictures.decode(image.jpegBytes()).getWidth()).isEqualTo(160);
    }

    @Test
    void theSameInputGivesTheSameOutcome() {
        byte[] xml = VocXml.annotation("a.jpg").size(640, 480).twoBoxes().object("hexagon", 1, 1, 5, 5).bytes();
        byte[] rotated = SampleImages.withExifOrientation(jpeg, 8);
        PrepareOutcome first = processor.process("voc", "Annotations/a.xml", xml, InMemoryImageStore.of("a.jpg", rotated));
        PrepareOutcome second = new VocRecordProcessor(RULES).process("voc", "Annotations/a.xml", xml, InMemoryImageStore.of("a.jpg",
                rotated));
        assertThat(second).isEqualTo(first);
        assertThat(first.image().orElseThrow().jpegBytes()).isEqualTo(second.image().orElseThrow().jpegBytes());
    }

    @Test
    void findsTheImageByFilenameThenByCompletingItsExtensionThenByTheAnnotationName() {
        byte[] xml = VocXml.annotation("photo.jpg").size(160, 120).twoBoxes().bytes();
        Map<String, byte[]> files = Map.of("photo.jpg", jpeg, "a.jpg", jpeg, "a.png", SampleImages.png(TestPictures.twoBoxes()));

        assertThat(resolved("a", xml, files)).isEqualTo("photo.jpg");
        assertThat(resolved("a", VocXml.annotation("photo").size(160, 120).bytes(), files)).isEqualTo("photo.jpg");
        assertThat(resolved("a", VocXml.annotation("missing.jpg").size(160, 120).bytes(), files)).as("jpg before png").isEqualTo("a.jpg");
        assertThat(resolved("a", VocXml.annotation("missing.jpg").size(160, 120).bytes(), Map.of("a.JPG", jpeg))).isEqualTo("a.JPG");
        assertThat(resolved("a", VocXml.annotation("sub/photo.jpg").size(160, 120).bytes(), files))
                .as("a relative folder is not searched").isEqualTo("a.jpg");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ../x.jpg                | true
            a/../../x.jpg           | true
            ..                      | true
            ..\\x.jpg               | true
            /etc/passwd             | true
            \\\\server\\share\\x.jpg | true
            C:\\images\\x.jpg       | true
            c:x.jpg                 | false
            file:///etc/passwd      | true
            s3a://bucket/x.jpg      | true
            x.jpg                   | false
            sub/x.jpg               | false
            ..x.jpg                 | false
            x..jpg                  | false
            ...                     | false
            """)
    void traversalIsAbsoluteOrClimbing(String name, boolean traversal) {
        assertThat(VocRecordProcessor.isTraversal(name)).as(name).isEqualTo(traversal);
    }

    @ParameterizedTest
    @CsvSource({"s3a://bucket/voc/Annotations/000001.xml, 000001", "Annotations\\IMG_1.XML, IMG_1", "a.b.xml, a.b", "noextension, noextension",
            ".xml, .xml"})
    void theImageIdIsTheAnnotationNameWithoutXml(String path, String id) {
        assertThat(VocRecordProcessor.imageId(path)).isEqualTo(id);
    }

    @Test
    void boxesOutsideTheRealImageAreRejectedWhenSizeLied() {
        byte[] xml = VocXml.annotation("a.jpg").size(640, 480).object("circle", 20, 30, 70, 90).object("square", 300, 200, 600, 450)
                .bytes();

        PrepareOutcome outcome = processor.process("voc", "Annotations/a.xml", xml, InMemoryImageStore.of("a.jpg", jpeg));

        assertThat(outcome.image().orElseThrow().warnings()).extracting(QuarantineEntry::reason)
                .containsExactly(QuarantineReason.SIZE_MISMATCH);
        assertThat(outcome.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(QuarantineReason.BOX_OUTSIDE_IMAGE);
            assertThat(rejection.objectIndex()).isEqualTo(1);
            assertThat(rejection.path()).isEqualTo("Annotations/a.xml");
        });
    }

    @Test
    void anImageWhoseObjectsAreAllRejectedIsRejectedNamingHowManyAndWhy() {
        byte[] xml = VocXml.annotation("a.jpg").size(160, 120).object("hexagon", 20, 30, 70, 90).object("square", 150, 20, 100, 60)
                .bytes();

        PrepareOutcome outcome = processor.process("voc", "Annotations/a.xml", xml, InMemoryImageStore.of("a.jpg", jpeg));

        assertThat(outcome.image()).isEmpty();
        assertThat(outcome.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(QuarantineReason.ALL_OBJECTS_REJECTED);
            assertThat(rejection.reason().severity()).isEqualTo(QuarantineReason.Severity.REJECT_IMAGE);
            assertThat(rejection.path()).isEqualTo("Annotations/a.xml");
            assertThat(rejection.objectIndex()).isEqualTo(QuarantineEntry.WHOLE_RECORD);
            assertThat(rejection.detail()).startsWith("all 2 objects were rejected: ")
                    .contains("object 0 UNKNOWN_CLASS ('hexagon'").contains("object 1 BOX_INVERTED (");
        });
    }

    @Test
    void keptAsNegativeWhenTheRulesSaySoWithAWarningBesideTheObjectRejections() {
        VocRecordProcessor keeping = new VocRecordProcessor(RULES.withAllObjectsRejected(RecordRules.AllObjectsRejected.KEEP_AS_NEGATIVE));
        byte[] xml = VocXml.annotation("a.jpg").size(160, 120).object("hexagon", 20, 30, 70, 90).bytes();

        PrepareOutcome outcome = keeping.process("voc", "Annotations/a.xml", xml, InMemoryImageStore.of("a.jpg", jpeg));

        PreparedImage image = outcome.image().orElseThrow();
        assertThat(image.objects()).isEmpty();
        assertThat(outcome.rejections()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.UNKNOWN_CLASS);
        assertThat(image.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.reason()).isEqualTo(QuarantineReason.ALL_OBJECTS_REJECTED_KEPT);
            assertThat(warning.reason().severity()).isEqualTo(QuarantineReason.Severity.WARNING);
            assertThat(warning.detail()).startsWith("all 1 object was rejected: object 0 UNKNOWN_CLASS").endsWith("kept as a negative image");
        });
    }

    @Test
    void anImageWithoutObjectsStaysANegativeAndOneValidObjectKeepsTheImage() {
        PrepareOutcome negative = processor.process("voc", "Annotations/a.xml", VocXml.annotation("a.jpg").size(160, 120).bytes(),
                InMemoryImageStore.of("a.jpg", jpeg));
        assertThat(negative.image().orElseThrow().warnings()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.NO_OBJECTS);

        PrepareOutcome oneLeft = processor.process("voc", "Annotations/a.xml", VocXml.annotation("a.jpg").size(160, 120)
                .object("hexagon", 20, 30, 70, 90).object("square", 100, 20, 150, 60).bytes(), InMemoryImageStore.of("a.jpg", jpeg));
        assertThat(oneLeft.image().orElseThrow().objects()).hasSize(1);
        assertThat(oneLeft.quarantineEntries()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.UNKNOWN_CLASS);
    }

    @Test
    void anImageThatVanishesAfterListingHasNoImage() {
        ImageStore vanishing = new ImageStore() {
            @Override
            public Set<String> fileNames() {
                return Set.of("a.jpg");
            }

            @Override
            public Optional<byte[]> read(String fileName) {
                return Optional.empty();
            }
        };
        PrepareOutcome outcome = processor.process("voc", "Annotations/a.xml", VocXml.annotation("a.jpg").bytes(), vanishing);
        assertThat(outcome.rejections()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.ANNOTATION_WITHOUT_IMAGE);
    }

    @Test
    void readFailuresAreNotRecordProblems() {
        ImageStore failing = new ImageStore() {
            @Override
            public Set<String> fileNames() {
                return Set.of("a.jpg");
            }

            @Override
            public Optional<byte[]> read(String fileName) {
                throw new YoloFleetException(ErrorCode.IO, "connection reset");
            }
        };
        assertThatThrownBy(() -> processor.process("voc", "Annotations/a.xml", VocXml.annotation("a.jpg").bytes(), failing))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.IO));
    }

    @Test
    void quarantinePathsNameTheFileAtFault() {
        PrepareOutcome badImage = processor.process("voc", "Annotations/a.xml", VocXml.annotation("a.jpg").bytes(),
                InMemoryImageStore.of("a.jpg", new byte[0]));
        assertThat(badImage.rejections()).extracting(QuarantineEntry::path).containsExactly("JPEGImages/a.jpg");
        PrepareOutcome badXml = processor.process("voc", "Annotations/a.xml", new byte[0], InMemoryImageStore.of("a.jpg", jpeg));
        assertThat(badXml.rejections()).extracting(QuarantineEntry::path).containsExactly("Annotations/a.xml");
    }

    private String resolved(String annotationName, byte[] xml, Map<String, byte[]> files) {
        return processor.process("voc", "Annotations/" + annotationName + ".xml", xml, new InMemoryImageStore(files)).image().orElseThrow()
                .imagePath().substring("JPEGImages/".length());
    }
}
