package org.yolofleet.prelabel;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.image.ImageInspector;
import org.yolofleet.core.image.ImageSize;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.detect.DetectRequest;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import scala.collection.JavaConverters;

import java.io.Serial;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@link PrelabelStage}'s executor work: each binary-file row with its detections becomes one VOC file in the staging
 * folder, named after the image ({@code 0042.jpg} → {@code 0042.xml}), and a small {@link #RESULT} row for the summary.
 * An image the detector could not decode gets no file and a result row saying why (the decoder's own message).
 */
final class PrelabelWriting implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One image's outcome: its file name, the written objects' class names, boxes dropped as under the minimum size, or the problem. */
    static final StructType RESULT = new StructType()
            .add("file", DataTypes.StringType, false)
            .add("classes", DataTypes.createArrayType(DataTypes.StringType, false), true)
            .add("dropped", DataTypes.IntegerType, false)
            .add("problem", DataTypes.StringType, true);

    private final String folder;
    private final String staging;
    private final SerializableHadoopConfiguration hadoop;
    private final int pathColumn;
    private final int contentColumn;
    private final int detectionsColumn;

    /** The columns by index: rows handed over from the detector within a stage carry no schema. */
    PrelabelWriting(String folder, String staging, SerializableHadoopConfiguration hadoop, StructType input, String detections) {
        this.folder = requireNonNull(folder, "folder");
        this.staging = requireNonNull(staging, "staging");
        this.hadoop = requireNonNull(hadoop, "hadoop");
        this.pathColumn = input.fieldIndex("path");
        this.contentColumn = input.fieldIndex("content");
        this.detectionsColumn = input.fieldIndex(detections);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        FileSystem fileSystem = HadoopFiles.fileSystem(staging, hadoop.get());
        ImageInspector inspector = new ImageInspector(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS);
        List<Row> results = new ArrayList<>();
        while (rows.hasNext()) {
            results.add(write(rows.next(), fileSystem, inspector));
        }
        return results.iterator();
    }

    private Row write(Row row, FileSystem fileSystem, ImageInspector inspector) {
        String file = new Path(URI.create(row.getString(pathColumn))).getName();
        byte[] content = (byte[]) row.get(contentColumn);
        if (row.isNullAt(detectionsColumn)) {
            return RowFactory.create(file, null, 0, whyUndecodable(content));
        }
        ImageSize size;
        try {
            size = inspector.inspect(content).uprightSize();
        } catch (RecordRejectedException rejected) {
            return RowFactory.create(file, null, 0, rejected.getMessage());
        }
        List<VocAnnotationWriter.Box> boxes = new ArrayList<>();
        int dropped = 0;
        for (Row detection : row.<Row>getList(detectionsColumn)) {
            // DetectionColumn.DETECTION's order: classId, className, score, xmin, ymin, xmax, ymax
            VocAnnotationWriter.Box box = VocAnnotationWriter.Box.of(detection.getString(1), detection.getDouble(2),
                    detection.getDouble(3), detection.getDouble(4), detection.getDouble(5), detection.getDouble(6), size);
            if (box.atLeast(PrelabelStage.MIN_BOX_PIXELS)) {
                boxes.add(box);
            } else {
                dropped++;
            }
        }
        HadoopFiles.write(fileSystem, new Path(staging, PrelabelStage.annotationName(file)),
                VocAnnotationWriter.write(folder, file, size, 3, boxes));
        List<String> classes = boxes.stream().map(VocAnnotationWriter.Box::name).toList();
        return RowFactory.create(file, JavaConverters.asScalaBuffer(classes).toList(), dropped, null);
    }

    /** The shared decoder's reason for an image the detector returned no detections for. */
    private static String whyUndecodable(byte[] content) {
        try {
            new ImageDecoder(DetectRequest.DEFAULT_MAX_IMAGE_PIXELS).decode(content);
            return "the detector could not decode it";
        } catch (RecordRejectedException rejected) {
            return rejected.getMessage();
        }
    }
}
