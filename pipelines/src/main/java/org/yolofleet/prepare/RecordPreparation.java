package org.yolofleet.prepare;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.yolofleet.core.quarantine.QuarantineEntry;
import org.yolofleet.core.quarantine.QuarantineReason;
import org.yolofleet.dataset.PrepareOutcome;
import org.yolofleet.dataset.PreparedImage;
import org.yolofleet.dataset.RecordRules;
import org.yolofleet.dataset.VocRecordProcessor;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import org.yolofleet.stage.DatasetSchema;
import org.yolofleet.stage.Split;
import scala.Tuple2;

import java.io.Serial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Spark side of the per-record work: reads each annotation and its image from the file system, hands them
 * to the plain-Java {@link VocRecordProcessor}, assigns the split, and emits rows — {@code (true, image row)} for
 * a kept image, {@code (false, quarantine row)} for every rejection and warning.
 */
final class RecordPreparation implements FlatMapFunction<Iterator<AnnotationTask>, Tuple2<Boolean, Row>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Broadcast<List<VocSource>> sources;
    private final SerializableHadoopConfiguration hadoop;
    private final RecordRules rules;
    private final SplitAssigner splitAssigner;
    private final PrepareConfig.SplitMode splitMode;

    RecordPreparation(Broadcast<List<VocSource>> sources, SerializableHadoopConfiguration hadoop, RecordRules rules,
                      SplitAssigner splitAssigner, PrepareConfig.SplitMode splitMode) {
        this.sources = sources;
        this.hadoop = hadoop;
        this.rules = rules;
        this.splitAssigner = splitAssigner;
        this.splitMode = splitMode;
    }

    @Override
    public Iterator<Tuple2<Boolean, Row>> call(Iterator<AnnotationTask> tasks) {
        VocRecordProcessor processor = new VocRecordProcessor(rules);
        Map<Integer, HadoopImageStore> stores = new HashMap<>();
        List<Tuple2<Boolean, Row>> rows = new ArrayList<>();
        while (tasks.hasNext()) {
            AnnotationTask task = tasks.next();
            VocSource source = sources.value().get(task.sourceIndex());
            FileSystem fileSystem = HadoopFiles.fileSystem(source.rootUri(), hadoop.get());
            HadoopImageStore store = stores.computeIfAbsent(task.sourceIndex(), index -> new HadoopImageStore(fileSystem, source));
            String annotationPath = source.annotationPath(task.fileName());
            Optional<byte[]> xml = HadoopFiles.readIfExists(fileSystem, new Path(annotationPath));
            if (xml.isEmpty()) {
                rows.add(new Tuple2<>(false, DatasetSchema.quarantineRow(new QuarantineEntry(source.name(), annotationPath, -1,
                        QuarantineReason.XML_EMPTY, "annotation file disappeared after listing"))));
                continue;
            }
            PrepareOutcome outcome = processor.process(source.name(), annotationPath, xml.get(), store);
            for (QuarantineEntry rejection : outcome.rejections()) {
                rows.add(new Tuple2<>(false, DatasetSchema.quarantineRow(rejection)));
            }
            if (outcome.image().isPresent()) {
                PreparedImage image = outcome.image().get();
                for (QuarantineEntry warning : image.warnings()) {
                    rows.add(new Tuple2<>(false, DatasetSchema.quarantineRow(warning)));
                }
                Split split = switch (splitMode) {
                    case HASH -> splitAssigner.byHash(image.contentHash());
                    case IMAGESETS -> splitAssigner.byImageSets(source.imageSets(), image.imageId(), image.contentHash());
                };
                rows.add(new Tuple2<>(true, DatasetSchema.imageRow(image, source.index(), split)));
            }
        }
        return rows.iterator();
    }
}
