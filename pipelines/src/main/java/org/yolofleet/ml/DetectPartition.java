package org.yolofleet.ml;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.quarantine.RecordRejectedException;
import org.yolofleet.detect.DetectionThresholds;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.DetectorModel;
import org.yolofleet.spark.SerializableHadoopConfiguration;
import scala.collection.JavaConverters;

import java.io.Serial;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * {@link YoloDetector}'s work on one partition: rows are taken {@code batchSize} at a time, their images decoded and
 * brought to the network's input, run through the JVM's shared detector ({@link ExecutorModels}) and decoded by the
 * model's region decoder with the thresholds, each row coming out with its detections appended. The detections are
 * those of {@code yolofleet detect}: the same preprocessing, decoder, NMS and clipping. An image that cannot be decoded
 * gets null detections and a warning naming it ({@code detect} skips and reports it).
 */
final class DetectPartition implements MapPartitionsFunction<Row, Row> {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectPartition.class);

    private final String modelUri;
    private final String sha256;
    private final DetectorRuntime runtime;
    private final ImageInput input;
    private final int column;
    private final double scoreThreshold;
    private final double nmsIou;
    private final int batchSize;
    private final SerializableHadoopConfiguration hadoop;

    DetectPartition(String modelUri, DetectorRuntime runtime, ImageInput input, int column, DetectionThresholds thresholds, int batchSize,
                    SerializableHadoopConfiguration hadoop) {
        this(modelUri, Optional.empty(), runtime, input, column, thresholds, batchSize, hadoop);
    }

    /** With {@code sha256}: the model is a verified release's artifact, loaded only when its bytes have that SHA-256. */
    DetectPartition(String modelUri, Optional<String> sha256, DetectorRuntime runtime, ImageInput input, int column, DetectionThresholds thresholds,
                    int batchSize, SerializableHadoopConfiguration hadoop) {
        this.modelUri = requireNonNull(modelUri, "modelUri");
        this.sha256 = sha256.orElse(null);
        this.runtime = requireNonNull(runtime, "runtime");
        this.input = requireNonNull(input, "input");
        this.column = column;
        this.scoreThreshold = thresholds.score();
        this.nmsIou = thresholds.nonMaxSuppressionIou();
        this.batchSize = batchSize;
        this.hadoop = requireNonNull(hadoop, "hadoop");
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        Detector detector = ExecutorModels.detector(modelUri, Optional.ofNullable(sha256), runtime, hadoop.get());
        DetectionThresholds thresholds = new DetectionThresholds(scoreThreshold, nmsIou);
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && rows.hasNext()) {
                    batch = detect(detector, thresholds, rows).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    /** The next {@code batchSize} rows, decoded and preprocessed first, then run. */
    private List<Row> detect(Detector detector, DetectionThresholds thresholds, Iterator<Row> rows) {
        DetectorModel model = detector.model();
        ImagePreprocessor preprocessor = model.preprocessor();
        RegionDecoder decoder = model.decoder();
        List<Row> batch = new ArrayList<>(batchSize);
        List<RgbImage> images = new ArrayList<>(batchSize);
        List<NetworkInput> inputs = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
            Row row = rows.next();
            RgbImage image = decode(row);
            batch.add(row);
            images.add(image);
            inputs.add(image == null ? null : preprocessor.preprocess(image));
        }
        List<Row> results = new ArrayList<>(batch.size());
        for (int index = 0; index < batch.size(); index++) {
            List<Row> detections = null;
            NetworkInput network = inputs.get(index);
            if (network != null) {
                RgbImage image = images.get(index);
                float[] raw = detector.rawOutput(network.pixels());
                List<Detection> decoded = decoder.detect(raw, network.letterbox(), thresholds.score(), thresholds.suppression());
                detections = DetectionColumn.rows(Detection.clipAll(decoded, image.width(), image.height()), model::className);
            }
            results.add(appended(batch.get(index), detections));
        }
        return results;
    }

    private RgbImage decode(Row row) {
        if (row.isNullAt(column)) {
            return null;
        }
        try {
            return input.pixels(row, column);
        }
        catch (RecordRejectedException rejected) {
            LOG.warn("YoloDetector skipped {}: {}", input.describe(row, column), rejected.getMessage());
            return null;
        }
    }

    private static Row appended(Row row, List<Row> detections) {
        Object[] values = new Object[row.size() + 1];
        for (int index = 0; index < row.size(); index++) {
            values[index] = row.get(index);
        }
        values[row.size()] = detections == null ? null : JavaConverters.asScalaBuffer(detections).toList(); // the encoder takes a Seq
        return RowFactory.create(values);
    }
}
