package org.yolofleet.prelabel;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageFileFormat;
import org.yolofleet.ml.YoloDetector;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.RunIds;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Pre-labelling: a model's detections on new, unlabelled images written as Pascal VOC annotations beside them
 * ({@code <dataset>/Annotations/<id>.xml} for {@code <dataset>/JPEGImages/<id>.jpg}), for people to correct in LabelImg
 * or CVAT and for {@code prepare} to read back like any VOC source. A Spark job: the images through the binary-file
 * source and {@link YoloDetector}, each executor writing its images' XML ({@link VocAnnotationWriter}) into a staging
 * folder, committed last ({@link StagedOutput}, marker {@value #MARKER}) so a failed run leaves no half-written files.
 * An existing annotation, perhaps a person's work, is kept unless {@code overwrite}.
 */
public final class PrelabelStage {
    /** Written last into the output; holds the run's counts. Its leading '_' keeps it out of VOC readers' way. */
    public static final String MARKER = "_prelabel.json";
    /**
     * Detections narrower or lower than this in VOC's integer pixels are not written: {@code prepare}'s default minimum box
     * size ({@code RecordRules.withDefaults}), so that what is written reads back without a rejection.
     */
    public static final int MIN_BOX_PIXELS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(PrelabelStage.class);

    private final SparkSession spark;
    private final PrelabelConfig config;
    private final Clock clock;

    public PrelabelStage(SparkSession spark, PrelabelConfig config, Clock clock) {
        this.spark = requireNonNull(spark, "spark");
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
    }

    /** {@code 0042.jpg} → {@code 0042.xml}: VOC names an annotation after its image id. */
    static String annotationName(String imageFile) {
        int dot = imageFile.lastIndexOf('.');
        return (dot > 0 ? imageFile.substring(0, dot) : imageFile) + ".xml";
    }

    /**
     * @throws YoloFleetException CONFIG when the images folder does not exist; IO / S3_ACCESS when a file system fails
     */
    public PrelabelSummary run() {
        String runId = RunIds.newRunId(clock.instant());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        FileSystem imageFileSystem = HadoopFiles.fileSystem(config.images(), hadoop);
        Path imageFolder = new Path(config.images());
        if (!HadoopFiles.exists(imageFileSystem, imageFolder)) {
            throw new YoloFleetException(ErrorCode.CONFIG, "prelabel images folder " + config.images() + " does not exist: give the"
                    + " folder of new images (<dataset>/JPEGImages)");
        }
        List<String> images = HadoopFiles.listFileNames(imageFileSystem, imageFolder).stream()
                .filter(name -> !name.startsWith(".") && !name.startsWith("_"))
                .filter(name -> ImageFileFormat.byExtension(name) != ImageFileFormat.UNKNOWN).toList();

        StagedOutput output = StagedOutput.open(config.output(), MARKER, runId, true, hadoop);
        Set<String> existing = new HashSet<>(HadoopFiles.listFileNames(output.fileSystem(), output.output()));
        List<String> keptExisting = new ArrayList<>();
        Map<String, String> skipped = new HashMap<>();
        Map<String, String> byAnnotation = new HashMap<>();
        List<String> selected = new ArrayList<>();
        for (String image : images) {
            String annotation = annotationName(image);
            if (byAnnotation.containsKey(annotation)) {
                skipped.put(image, "the same image id as " + byAnnotation.get(annotation) + ": one " + annotation + " for both; rename one");
            } else if (existing.contains(annotation) && !config.overwrite()) {
                byAnnotation.put(annotation, image);
                keptExisting.add(image);
            } else {
                byAnnotation.put(annotation, image);
                selected.add(image);
            }
        }
        LOG.info("prelabel: {} images in {}, {} to annotate, {} already annotated (kept)", images.size(), config.images(),
                selected.size(), keptExisting.size());

        try {
            List<Row> results = selected.isEmpty() ? List.of() : detectAndWrite(imageFolder, selected, output, hadoop);
            Map<String, Integer> boxesPerClass = new TreeMap<>();
            int written = 0;
            int withDetections = 0;
            int dropped = 0;
            for (Row result : results) {
                if (!result.isNullAt(3)) {
                    skipped.put(result.getString(0), result.getString(3));
                    continue;
                }
                written++;
                List<String> classes = result.getList(1);
                withDetections += classes.isEmpty() ? 0 : 1;
                classes.forEach(name -> boxesPerClass.merge(name, 1, Integer::sum));
                dropped += result.getInt(2);
            }
            PrelabelSummary summary = new PrelabelSummary(config.output(), images.size(), written, withDetections,
                    new TreeMap<>(boxesPerClass), dropped, keptExisting, new TreeMap<>(skipped));
            HadoopFiles.write(output.fileSystem(), output.staged(MARKER), marker(runId, summary).getBytes(StandardCharsets.UTF_8));
            output.commit();
            return summary;
        } catch (RuntimeException failure) {
            output.abort();
            throw failure;
        }
    }

    private List<Row> detectAndWrite(Path imageFolder, List<String> selected, StagedOutput output, Configuration hadoop) {
        String[] paths = selected.stream().map(name -> new Path(imageFolder, name).toString()).toArray(String[]::new);
        Dataset<Row> files = spark.read().format("binaryFile").load(paths);
        YoloDetector detector = new YoloDetector().setModelUri(config.model()).setInputCol("content")
                .setThreshold(config.threshold()).setNms(config.nms());
        config.trustedKey().ifPresent(detector::setTrustedKeyUri);
        Dataset<Row> detected = detector.transform(files);
        PrelabelWriting writing = new PrelabelWriting(imageFolder.getName(), output.staged(MARKER).getParent().toString(),
                new SerializableHadoopConfiguration(hadoop), detected.schema(), detector.getOutputCol());
        return detected.mapPartitions(writing, Encoders.row(PrelabelWriting.RESULT)).collectAsList();
    }

    private static String marker(String runId, PrelabelSummary summary) {
        return String.format(Locale.ROOT, "{\"run\":\"%s\",\"images\":%d,\"written\":%d,\"with_detections\":%d,\"boxes\":%d,"
                        + "\"kept_existing\":%d,\"skipped\":%d}%n", runId, summary.images(), summary.written(), summary.withDetections(),
                summary.boxes(), summary.keptExisting().size(), summary.skipped().size());
    }
}
