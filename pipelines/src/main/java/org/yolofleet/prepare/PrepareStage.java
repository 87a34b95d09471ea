package org.yolofleet.prepare;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.core.quarantine.QuarantineStage;
import org.yolofleet.dataset.PreparedObject;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.spark.StagedOutput;
import org.yolofleet.stage.DatasetManifest;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.RunIds;
import scala.Tuple2;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

/**
 * The {@code prepare} stage: VOC roots in, one validated, deduplicated, split and anchored dataset out, with a
 * quarantine of everything rejected. Output is staged and committed last ({@code dataset.json} is the marker).
 */
public final class PrepareStage {
    private static final Logger LOG = LoggerFactory.getLogger(PrepareStage.class);
    private static final int RECORDS_PER_PARTITION = 64;

    private final SparkSession spark;
    private final PrepareConfig config;
    private final Clock clock;

    public PrepareStage(SparkSession spark, PrepareConfig config, Clock clock) {
        this.spark = spark;
        this.config = config;
        this.clock = clock;
    }

    public PrepareSummary run() {
        Instant started = clock.instant();
        String runId = RunIds.newRunId(started);
        JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = context.hadoopConfiguration();
        StagedOutput output = StagedOutput.open(config.output(), DatasetSchema.MANIFEST, runId, config.overwrite(), hadoop);

        List<VocSource> sources = VocSourceLister.list(config, hadoop);
        List<AnnotationTask> tasks = new ArrayList<>();
        for (VocSource source : sources) {
            source.annotationFiles().forEach(file -> tasks.add(new AnnotationTask(source.index(), file)));
        }
        LOG.info("prepare: {} annotation files, {} image files in {} source(s)", tasks.size(),
                sources.stream().mapToInt(source -> source.imageFiles().size()).sum(), sources.size());

        Broadcast<List<VocSource>> sourcesBroadcast = context.broadcast(sources);
        JavaRDD<Tuple2<Boolean, Row>> outcomes = prepareRecords(context, tasks, sourcesBroadcast, hadoop);
        try {
            Dataset<Row> images = spark.createDataFrame(outcomes.filter(Tuple2::_1).map(Tuple2::_2), DatasetSchema.IMAGE);
            Dataset<Row> recordQuarantine = spark.createDataFrame(outcomes.filter(outcome -> !outcome._1()).map(Tuple2::_2),
                    DatasetSchema.QUARANTINE);
            List<DuplicateImages.Copy> copies = contentCopies(images);
            DuplicateImages.Resolution duplicates = DuplicateImages.resolve(copies);
            Dataset<Row> kept = withoutDropped(images, duplicates);
            List<Row> index = kept.select("id", "source", "source_index", "image_id", "image_path").collectAsList();
            Dataset<Row> quarantine = recordQuarantine.union(spark.createDataFrame(
                    crossRecordQuarantine(sources, index, copies, duplicates), DatasetSchema.QUARANTINE));

            LOG.info("prepare: {} images processed, {} duplicates ({} s)", index.size() + duplicates.droppedAnnotationPaths().size(),
                    duplicates.droppedAnnotationPaths().size(), elapsed(started));
            QuarantineStatistics quarantineStatistics = QuarantineStatistics.of(quarantine, config.examplesPerReason());
            long records = tasks.size() + quarantineStatistics.count(QuarantineReason.IMAGE_WITHOUT_ANNOTATION);
            failIfTooManyRejected(quarantine, quarantineStatistics, records, runId);

            kept.write().partitionBy("split").parquet(output.stagedUri(DatasetSchema.IMAGES_DIRECTORY));
            quarantine.coalesce(1).write().parquet(output.stagedUri(DatasetSchema.QUARANTINE_DIRECTORY));

            LOG.info("prepare: dataset and quarantine written ({} s)", elapsed(started));
            Dataset<Row> committed = spark.read().parquet(output.stagedUri(DatasetSchema.IMAGES_DIRECTORY));
            DatasetStatistics statistics = DatasetStatistics.of(committed, config);
            LOG.info("prepare: statistics done ({} s)", elapsed(started));
            AnchorComputation.Anchors anchors = AnchorComputation.compute(committed, config);
            LOG.info("prepare: anchors {} after {} iterations ({} s)", anchors.computed().anchorsText(), anchors.computed().iterations(),
                    elapsed(started));
            DatasetManifest manifest = PreparedManifest.of(config, sources, statistics, anchors, quarantineStatistics,
                    records, started, clock.instant(), runId);
            manifest.notices().forEach(notice -> LOG.warn("prepare: {}", notice));
            DatasetReport.write(output, manifest, statistics, anchors, quarantineStatistics);
            manifest.write(output);
            output.commit();
            return new PrepareSummary(manifest, quarantineStatistics, output.output().toString());
        } catch (RuntimeException failure) {
            output.abort();
            throw failure;
        } finally {
            outcomes.unpersist(false);
            sourcesBroadcast.destroy();
        }
    }

    private String elapsed(Instant started) {
        return String.format(Locale.ROOT, "%.1f", java.time.Duration.between(started, clock.instant()).toMillis() / 1000.0);
    }

    private void failIfTooManyRejected(Dataset<Row> quarantine, QuarantineStatistics statistics, long records, String runId) {
        double rejectedShare = records == 0 ? 0 : (double) statistics.rejectedImages() / records;
        if (rejectedShare <= config.maxRejectedFraction()) {
            return;
        }
        String inspect = config.output().replaceAll("/+$", "") + "/_rejected-" + runId;
        quarantine.coalesce(1).write().parquet(inspect);
        throw new YoloFleetException(ErrorCode.QUARANTINE_THRESHOLD, String.format(Locale.ROOT,
                "%d of %d image records (%.1f %%) were rejected, more than yolofleet.prepare.quarantine.max-rejected-fraction = %s;"
                        + " nothing was committed. Top reasons:%n%sThe whole quarantine is at %s",
                statistics.rejectedImages(), records, 100 * rejectedShare, config.maxRejectedFraction(), statistics.text(3), inspect));
    }

    /** Every annotation, on the executors: an image row (true) or a quarantine row (false) each. */
    private JavaRDD<Tuple2<Boolean, Row>> prepareRecords(JavaSparkContext context, List<AnnotationTask> tasks,
                                                         Broadcast<List<VocSource>> sources, Configuration hadoop) {
        int partitions = config.partitions() > 0 ? config.partitions()
                : Math.max(1, Math.min(10_000, (tasks.size() + RECORDS_PER_PARTITION - 1) / RECORDS_PER_PARTITION));
        return context.parallelize(tasks, partitions)
                .mapPartitions(new RecordPreparation(sources, new SerializableHadoopConfiguration(hadoop),
                        config.rules(), new SplitAssigner(config.split().valFraction(), config.split().salt()),
                        config.split().mode()))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
    }

    /**
     * The images whose content is in the dataset more than once. {@link DuplicateImages} decides, from the inputs alone,
     * which annotation keeps each; the others are quarantined under their own annotation paths.
     */
    private static List<DuplicateImages.Copy> contentCopies(Dataset<Row> images) {
        return images.select("source", "source_index", "annotation_path", "image_path", "content_hash", "objects")
                .withColumn("copies", count(lit(1)).over(Window.partitionBy("content_hash")))
                .filter(col("copies").gt(1))
                .collectAsList().stream().map(PrepareStage::copy).toList();
    }

    private Dataset<Row> withoutDropped(Dataset<Row> images, DuplicateImages.Resolution duplicates) {
        Dataset<Row> dropped = spark.createDataset(duplicates.droppedAnnotationPaths(), Encoders.STRING()).toDF("annotation_path");
        // an expression join (not a USING join, which would move annotation_path to the front): the columns stay as written
        return images.join(broadcast(dropped), images.col("annotation_path").equalTo(dropped.col("annotation_path")), "left_anti");
    }

    /** What only the whole dataset shows: duplicate content (and conflicting boxes), ids in two sources, unannotated images. */
    private static List<Row> crossRecordQuarantine(List<VocSource> sources, List<Row> index, List<DuplicateImages.Copy> copies,
                                                   DuplicateImages.Resolution duplicates) {
        List<Row> rows = new ArrayList<>();
        duplicates.entries().forEach(entry -> rows.add(DatasetSchema.quarantineRow(entry)));
        rows.addAll(duplicateIdWarnings(index));
        rows.addAll(imagesWithoutAnnotation(sources, index, copies));
        return rows;
    }

    private static Row quarantine(String source, String path, QuarantineReason reason, String detail) {
        return DatasetSchema.quarantineRow(new QuarantineEntry(QuarantineStage.PREPARE, source, path, QuarantineEntry.WHOLE_RECORD, reason, detail));
    }

    /** The same image id in more than one source: all are kept under their namespaced ids, each later one warned. */
    private static List<Row> duplicateIdWarnings(List<Row> index) {
        Map<String, String> firstSource = new HashMap<>();
        List<Row> sorted = new ArrayList<>(index);
        sorted.sort(Comparator.comparingInt((Row row) -> row.getInt(row.fieldIndex("source_index")))
                .thenComparing(row -> row.<String>getAs("id")));
        List<Row> warnings = new ArrayList<>();
        for (Row row : sorted) {
            String imageId = row.getAs("image_id");
            String source = row.getAs("source");
            String earlier = firstSource.putIfAbsent(imageId, source);
            if (earlier != null && !earlier.equals(source)) {
                warnings.add(quarantine(source, row.getAs("image_path"), QuarantineReason.DUPLICATE_ID,
                        "image id '" + imageId + "' is also in source '" + earlier + "'; both kept, as " + earlier + "/" + imageId
                                + " and " + row.getAs("id")));
            }
        }
        return warnings;
    }

    /** A record of an image content that several records have, with its objects (for the conflict check). */
    private static DuplicateImages.Copy copy(Row row) {
        List<PreparedObject> objects = new ArrayList<>();
        for (Row object : row.<Row>getList(row.fieldIndex("objects"))) {
            objects.add(new PreparedObject(object.getAs("class_id"), object.getAs("class_name"), object.getAs("xmin"), object.getAs("ymin"),
                    object.getAs("xmax"), object.getAs("ymax"), object.getAs("difficult"), object.getAs("truncated")));
        }
        return new DuplicateImages.Copy(row.getAs("source"), row.getAs("source_index"), row.getAs("annotation_path"), row.getAs("image_path"),
                row.getAs("content_hash"), objects);
    }

    /** Files in JPEGImages/ that no annotation names and whose base name has no annotation file. */
    private static List<Row> imagesWithoutAnnotation(List<VocSource> sources, List<Row> index, List<DuplicateImages.Copy> copies) {
        Set<String> referenced = new HashSet<>();
        index.forEach(row -> referenced.add(row.getAs("image_path")));
        copies.forEach(copy -> referenced.add(copy.imagePath()));
        List<Row> orphans = new ArrayList<>();
        for (VocSource source : sources) {
            Set<String> annotationStems = new HashSet<>();
            source.annotationFiles().forEach(file -> annotationStems.add(stem(file)));
            for (String image : source.imageFiles()) {
                String path = source.imagePath(image);
                if (!referenced.contains(path) && !annotationStems.contains(stem(image))) {
                    orphans.add(quarantine(source.name(), path, QuarantineReason.IMAGE_WITHOUT_ANNOTATION,
                            "no Annotations/" + stem(image) + ".xml and no annotation names " + image));
                }
            }
        }
        return orphans;
    }

    static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }
}
