package org.yolofleet.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.spark.HadoopFiles;
import org.yolofleet.spark.StagedOutput;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code dataset.json}: what a prepared dataset holds and how it was made. Written last; its presence marks the
 * dataset complete. Later stages read classes, input size and anchors from here.
 */
public record DatasetManifest(
        String format,
        String version,
        String runId,
        String createdAt,
        double durationSeconds,
        List<String> classes,
        Map<String, String> aliases,
        Input input,
        List<Source> sources,
        Records records,
        Map<String, SplitCounts> splits,
        SplitPolicy split,
        AnchorSummary anchors,
        Map<String, Long> quarantineByReason,
        String contentFingerprint,
        List<String> notices) {

    public static final String FORMAT = "yolofleet-dataset/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@code notices}: what a user must know before training on the dataset (an empty val split); none in older files. */
    public DatasetManifest {
        notices = notices == null ? List.of() : List.copyOf(notices);
    }

    public record Input(int width, int height, String resizeMode) {
    }

    public record Source(String name, String uri, int annotationFiles, int imageFiles) {
    }

    /** Image records seen (annotation files plus images without one), kept, and rejected; objects kept and rejected. */
    public record Records(long seen, long kept, long rejected, long negatives, long objects, long objectsRejected, long warnings) {
    }

    public record SplitPolicy(String mode, double valFraction, String salt) {
    }

    /** One split's images (negatives among them), objects (difficult among them) and objects per class name. */
    public record SplitCounts(long images, long negatives, long objects, long difficult, Map<String, Long> objectsPerClass) {
        public SplitCounts {
            objectsPerClass = Map.copyOf(objectsPerClass);
        }
    }

    /** Anchors in grid units (w, h pairs), their mean IoU to the training boxes, and the VOC defaults' on the same boxes. */
    public record AnchorSummary(List<double[]> values, String text, double meanIou, boolean fromData, int iterations,
                                long trainingBoxes, List<double[]> vocDefaultValues, double vocDefaultMeanIou) {
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write dataset.json: " + exception.getMessage(), exception);
        }
    }

    public static DatasetManifest fromJson(byte[] json) {
        try {
            return JSON.readValue(json, DatasetManifest.class);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "cannot read dataset.json: " + exception.getMessage(), exception);
        }
    }

    /** Reads the manifest of a committed dataset; fails clearly when the dataset is absent or incomplete. */
    public static DatasetManifest read(FileSystem fileSystem, String datasetUri) {
        Path path = new Path(datasetUri, DatasetSchema.MANIFEST);
        byte[] json = HadoopFiles.readIfExists(fileSystem, path).orElseThrow(() -> new YoloFleetException(ErrorCode.CONFIG,
                datasetUri + " is not a committed prepared dataset: " + path + " is missing (run prepare first)"));
        return fromJson(json);
    }

    /** Writes {@code dataset.json} into a staged output (committed with it). */
    public void write(StagedOutput output) {
        HadoopFiles.write(output.fileSystem(), output.staged(DatasetSchema.MANIFEST), toJson().getBytes(StandardCharsets.UTF_8));
    }
}
