package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.SampleManifest.InjectedFault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleDatasetGeneratorTest {
    private static final RecordRules RULES = RecordRules.withDefaults(SampleDatasetGenerator.SHAPES.subList(0, 4),
            SampleDatasetGenerator.FAULT_ALIASES);

    @Test
    void sameSeedGivesTheSameFilesByteForByte(@TempDir Path temporary) throws IOException {
        SampleOptions options = SampleOptions.defaults(7, 30).withInjectedFaults(true);
        SampleManifest first = new SampleDatasetGenerator(options).generate(temporary.resolve("a"));
        SampleManifest second = new SampleDatasetGenerator(options).generate(temporary.resolve("b"));
        assertThat(second).isEqualTo(first);
        Map<String, byte[]> filesA = files(temporary.resolve("a"));
        Map<String, byte[]> filesB = files(temporary.resolve("b"));
        assertThat(filesB.keySet()).isEqualTo(filesA.keySet());
        filesA.forEach((name, bytes) -> assertThat(filesB.get(name)).as(name).isEqualTo(bytes));

        SampleManifest otherSeed = new SampleDatasetGenerator(new SampleOptions(8, 30, 4, 6, true, List.of(),
                SampleOptions.DEFAULT_SIZES, SampleOptions.DEFAULT_MIN_OBJECT_SIDE, false)).generate(temporary.resolve("c"));
        assertThat(otherSeed.goodObjectCounts()).isNotEqualTo(first.goodObjectCounts());
    }

    @Test
    void writesTheVocLayout(@TempDir Path root) throws IOException {
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(1, 25)).generate(root);
        assertThat(manifest.goodImageIds()).hasSize(25).startsWith("000000", "000001").endsWith("000024");
        assertThat(manifest.faults()).isEmpty();
        for (String id : manifest.goodImageIds()) {
            assertThat(root.resolve("Annotations/" + id + ".xml")).isRegularFile();
            assertThat(root.resolve("JPEGImages/" + id + ".jpg")).isRegularFile();
        }
        List<String> train = Files.readAllLines(root.resolve("ImageSets/Main/train.txt"));
        List<String> val = Files.readAllLines(root.resolve("ImageSets/Main/val.txt"));
        List<String> trainval = Files.readAllLines(root.resolve("ImageSets/Main/trainval.txt"));
        assertThat(trainval).containsExactlyElementsOf(manifest.goodImageIds());
        assertThat(train).doesNotContainAnyElementsOf(val);
        assertThat(new ArrayList<>(train) {{ addAll(val); }}).containsExactlyInAnyOrderElementsOf(trainval);
        assertThat(root.resolve(SampleDatasetGenerator.MANIFEST)).content().contains("\"goodImageIds\"");
    }

    @Test
    void goodRecordsComeOutOfTheProcessorWithAllTheirObjects(@TempDir Path root) {
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(3, 60)).generate(root);
        Map<String, PrepareOutcome> outcomes = processAll(root, RULES);
        assertThat(outcomes).hasSize(60);
        Map<Integer, Integer> sizes = new TreeMap<>();
        for (String id : manifest.goodImageIds()) {
            PrepareOutcome outcome = outcomes.get(id);
            assertThat(outcome.rejections()).as(id).isEmpty();
            PreparedImage image = outcome.image().orElseThrow();
            assertThat(image.objects()).as(id).hasSize(manifest.goodObjectCounts().get(id));
            List<QuarantineReason> warnings = image.warnings().stream().map(QuarantineEntry::reason).toList();
            assertThat(warnings).as(id).containsExactlyElementsOf(
                    manifest.goodObjectCounts().get(id) == 0 ? List.of(QuarantineReason.NO_OBJECTS) : List.of());
            sizes.merge(image.width(), 1, Integer::sum);
        }
        assertThat(sizes.keySet()).as("several sizes and aspect ratios").hasSizeGreaterThanOrEqualTo(4);
        assertThat(manifest.goodObjectCount()).isGreaterThan(60);
    }

    @Test
    void everyInjectedFaultYieldsExactlyItsReasons(@TempDir Path root) {
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(11, 20).withInjectedFaults(true)).generate(root);
        assertThat(manifest.aliases()).isEqualTo(SampleDatasetGenerator.FAULT_ALIASES);
        assertThat(manifest.faults()).hasSizeGreaterThanOrEqualTo(30);
        Map<String, PrepareOutcome> outcomes = processAll(root, RULES);
        for (InjectedFault fault : manifest.faults()) {
            if (fault.reason().decidedAcrossRecords()) {
                continue;
            }
            PrepareOutcome outcome = outcomes.get(fault.imageId());
            List<QuarantineReason> reasons = outcome.quarantineEntries().stream().map(QuarantineEntry::reason).toList();
            assertThat(reasons).as(fault.imageId() + " " + outcome.quarantineEntries())
                    .containsExactlyInAnyOrderElementsOf(fault.reasons());
            assertThat(outcome.image().isPresent()).as(fault.imageId()).isEqualTo(fault.recordKept());
            assertThat(outcome.image().map(image -> image.objects().size()).orElse(0)).as(fault.imageId())
                    .isEqualTo(fault.keptObjects());
        }
        for (String id : manifest.goodImageIds()) {
            assertThat(outcomes.get(id).image()).as(id).isPresent();
            assertThat(outcomes.get(id).rejections()).as(id).isEmpty();
        }
        // the cross-record faults: the per-record processor keeps the duplicate; the orphan has no annotation
        InjectedFault duplicate = manifest.faults().stream().filter(fault -> fault.reason() == QuarantineReason.DUPLICATE_IMAGE)
                .findFirst().orElseThrow();
        String original = manifest.goodImageIds().stream().filter(id -> manifest.goodObjectCounts().get(id) > 0).findFirst().orElseThrow();
        assertThat(outcomes.get(duplicate.imageId()).image().orElseThrow().contentHash())
                .isEqualTo(outcomes.get(original).image().orElseThrow().contentHash());
        assertThat(outcomes).doesNotContainKey("fault_orphan");
        assertThat(root.resolve("JPEGImages/fault_orphan.jpg")).isRegularFile();

        int keptObjects = outcomes.entrySet().stream().filter(entry -> !entry.getKey().equals(duplicate.imageId()))
                .mapToInt(entry -> entry.getValue().image().map(image -> image.objects().size()).orElse(0)).sum();
        assertThat(keptObjects).isEqualTo(manifest.keptObjectCount());
        Map<QuarantineReason, Integer> counted = new TreeMap<>();
        outcomes.forEach((id, outcome) -> outcome.quarantineEntries().forEach(entry -> counted.merge(entry.reason(), 1, Integer::sum)));
        Map<QuarantineReason, Integer> expected = new TreeMap<>(manifest.expectedQuarantineCounts());
        expected.keySet().removeIf(QuarantineReason::decidedAcrossRecords);
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void fixedBoxSizesAreExact(@TempDir Path root) {
        List<ImageSize> boxes = List.of(new ImageSize(30, 60), new ImageSize(120, 80));
        SampleManifest manifest = new SampleDatasetGenerator(SampleOptions.defaults(5, 20).withFixedBoxSizes(boxes)).generate(root);
        Map<String, PrepareOutcome> outcomes = processAll(root, RULES);
        int objects = 0;
        for (PrepareOutcome outcome : outcomes.values()) {
            for (PreparedObject object : outcome.image().orElseThrow().objects()) {
                assertThat(List.of(new ImageSize((int) object.width(), (int) object.height()))).isSubsetOf(boxes);
                assertThat(object.truncated()).isFalse();
                objects++;
            }
        }
        assertThat(objects).isEqualTo(manifest.goodObjectCount()).isGreaterThan(20);
    }

    @Test
    void refusesADirectoryThatIsNotEmpty(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("Annotations"));
        Files.writeString(root.resolve("Annotations/old.xml"), "<annotation/>");
        assertThatThrownBy(() -> new SampleDatasetGenerator(SampleOptions.defaults(1, 1)).generate(root))
                .isInstanceOfSatisfying(YoloFleetException.class, failure -> assertThat(failure.code()).isEqualTo(ErrorCode.OUTPUT_EXISTS));
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> SampleOptions.defaults(1, 1).withClassCount(7)).hasMessageContaining("classCount");
        assertThatThrownBy(() -> SampleOptions.defaults(1, 1).withFixedBoxSizes(List.of(new ImageSize(400, 400))))
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new SampleOptions(1, -1, 4, 6, false, List.of(), SampleOptions.DEFAULT_SIZES, SampleOptions.DEFAULT_MIN_OBJECT_SIDE, false))
                .hasMessageContaining("imageCount");
        assertThat(SampleOptions.defaults(1, 1).withClassCount(6).classes()).containsExactlyElementsOf(SampleDatasetGenerator.SHAPES);
    }

    /** Every annotation of a generated root through the processor, by image id. */
    static Map<String, PrepareOutcome> processAll(Path root, RecordRules rules) {
        VocRecordProcessor processor = new VocRecordProcessor(rules);
        DirectoryImageStore images = new DirectoryImageStore(root.resolve("JPEGImages"));
        Map<String, PrepareOutcome> outcomes = new HashMap<>();
        try (Stream<Path> annotations = Files.list(root.resolve("Annotations"))) {
            for (Path annotation : annotations.sorted().toList()) {
                PrepareOutcome outcome = processor.process("sample", annotation.toString(), Files.readAllBytes(annotation), images);
                outcomes.put(VocRecordProcessor.imageId(annotation.toString()), outcome);
            }
        } catch (IOException failure) {
            throw new AssertionError(failure);
        }
        return outcomes;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    @Test
    void theMinimumObjectSideBoundsEveryWholeObjectAndTheDefaultDrawsSmallerOnes(@TempDir Path temporary) throws IOException {
        SampleOptions defaults = SampleOptions.defaults(3, 60);
        assertThat(smallestWholeObjectSide(defaults, temporary.resolve("default"))).isLessThan(33);
        // a drawn side is the size times sqrt(aspect), aspect in exp(+-0.7): at least 0.70 of the minimum
        assertThat(smallestWholeObjectSide(defaults.withMinObjectSide(48), temporary.resolve("large"))).isGreaterThanOrEqualTo(33);
        assertThatThrownBy(() -> defaults.withMinObjectSide(200)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0.6");
    }

    @Test
    void separateObjectsNeverOverlapWhileTheDefaultOverlapsSome(@TempDir Path temporary) throws IOException {
        SampleOptions defaults = SampleOptions.defaults(5, 60);
        new SampleDatasetGenerator(defaults).generate(temporary.resolve("default"));
        assertThat(overlappingPairs(temporary.resolve("default"))).isPositive();
        SampleManifest manifest = new SampleDatasetGenerator(defaults.withSeparateObjects(true)).generate(temporary.resolve("separate"));
        assertThat(overlappingPairs(temporary.resolve("separate"))).isZero();
        assertThat(manifest.goodObjectCounts().values()).anySatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(3));
    }

    /** Pairs of objects of one good image whose boxes intersect. */
    private static int overlappingPairs(Path directory) throws IOException {
        java.util.regex.Pattern object = java.util.regex.Pattern.compile("<object>(.*?)</object>", java.util.regex.Pattern.DOTALL);
        int pairs = 0;
        try (Stream<Path> annotations = Files.list(directory.resolve("Annotations"))) {
            for (Path annotation : annotations.filter(path -> path.getFileName().toString().matches("\\d{6}\\.xml")).toList()) {
                java.util.regex.Matcher matcher = object.matcher(Files.readString(annotation, java.nio.charset.StandardCharsets.ISO_8859_1));
                java.util.List<double[]> boxes = new java.util.ArrayList<>();
                while (matcher.find()) {
                    String block = matcher.group(1);
                    double[] box = {value(block, "xmin"), value(block, "ymin"), value(block, "xmax"), value(block, "ymax")};
                    for (double[] other : boxes) {
                        if (box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3]) {
                            pairs++;
                        }
                    }
                    boxes.add(box);
                }
            }
        }
        return pairs;
    }

    /** The smallest side of the not truncated objects of the good images (their annotations, whatever the XML style). */
    private static double smallestWholeObjectSide(SampleOptions options, Path directory) throws IOException {
        new SampleDatasetGenerator(options).generate(directory);
        java.util.regex.Pattern object = java.util.regex.Pattern.compile("<object>(.*?)</object>", java.util.regex.Pattern.DOTALL);
        double smallest = Double.MAX_VALUE;
        try (Stream<Path> annotations = Files.list(directory.resolve("Annotations"))) {
            for (Path annotation : annotations.filter(path -> path.getFileName().toString().matches("\\d{6}\\.xml")).toList()) {
                java.util.regex.Matcher matcher = object.matcher(Files.readString(annotation, java.nio.charset.StandardCharsets.ISO_8859_1));
                while (matcher.find()) {
                    String block = matcher.group(1);
                    if (value(block, "truncated") != 0) {
                        continue;
                    }
                    smallest = Math.min(smallest, Math.min(value(block, "xmax") - value(block, "xmin"), value(block, "ymax") - value(block, "ymin")));
                }
            }
        }
        return smallest;
    }

    private static double value(String block, String tag) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("<" + tag + ">\\s*([-0-9.]+)\\s*</" + tag + ">").matcher(block);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }
}
