package org.yolofleet.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every epoch so far, oldest first: what a checkpoint's {@code metrics.json} holds (so a resumed run continues its curves). */
public record TrainingHistory(String format, List<EpochMetrics> epochs) {
    public static final String FORMAT = "yolofleet-train-metrics/1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS, true);

    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }

    public static TrainingHistory empty() {
        return new TrainingHistory(FORMAT, List.of());
    }

    public TrainingHistory plus(EpochMetrics metrics) {
        List<EpochMetrics> all = new ArrayList<>(epochs);
        all.add(metrics);
        return new TrainingHistory(format, all);
    }

    public Optional<EpochMetrics> last() {
        return epochs.isEmpty() ? Optional.empty() : Optional.of(epochs.get(epochs.size() - 1));
    }

    /** The epoch with the best val mAP@0.5 (area); ties go to the later epoch. */
    public Optional<EpochMetrics> best() {
        EpochMetrics best = null;
        for (EpochMetrics metrics : epochs) {
            if (best == null || Double.isNaN(best.mapArea()) || metrics.mapArea() >= best.mapArea()) {
                best = metrics;
            }
        }
        return Optional.ofNullable(best);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write metrics.json: " + exception.getMessage(), exception);
        }
    }

    public static TrainingHistory fromJson(byte[] json) {
        try {
            return JSON.readValue(json, TrainingHistory.class);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read metrics.json: " + exception.getMessage(), exception);
        }
    }
}
