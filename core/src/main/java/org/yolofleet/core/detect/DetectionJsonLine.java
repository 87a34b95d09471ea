package org.yolofleet.core.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import static java.util.Objects.requireNonNull;

/**
 * The one JSON-lines format of a detection, written by {@code yolofleet detect} and by the Pi agent's {@code detect}:
 * <pre>{@code {"image":"photos/a.jpg","class":"dog","class_id":11,"score":0.8731,"box":[12.5,40.0,210.25,300.0]}}</pre>
 * with the box {@code [xmin, ymin, xmax, ymax]} in pixels of the upright image (2 decimals) and the score to 4
 * decimals. It formats only: the caller clips the detection to its image first ({@link Detection#clippedTo}).
 */
public final class DetectionJsonLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCORE_SCALE = 10_000;
    private static final int BOX_SCALE = 100;

    private DetectionJsonLine() {}

    /** The line of one detection (no line break). */
    public static String of(String image, String className, Detection detection) {
        requireNonNull(image, "image");
        requireNonNull(className, "className");
        requireNonNull(detection, "detection");
        BoundingBox box = detection.box();
        ObjectNode line = JSON.createObjectNode();
        line.put("image", image);
        line.put("class", className);
        line.put("class_id", detection.classId());
        line.put("score", round(detection.score(), SCORE_SCALE));
        line.putArray("box")
                .add(round(box.xmin(), BOX_SCALE))
                .add(round(box.ymin(), BOX_SCALE))
                .add(round(box.xmax(), BOX_SCALE))
                .add(round(box.ymax(), BOX_SCALE));
        try {
            return JSON.writeValueAsString(line);
        }
        catch (JsonProcessingException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write a detection as JSON: " + e.getMessage(), e);
        }
    }

    private static double round(double value, int scale) {
        return Math.round(value * scale) / (double) scale;
    }
}
