package org.yolofleet.core.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The one JSON-lines format of a detection, written by {@code yolofleet detect} and by the Pi agent's {@code detect}:
 * <pre>{@code {"image":"photos/a.jpg","class":"dog","class_id":11,"score":0.8731,"box":[12.5,40.0,210.25,300.0]}}</pre>
 * with the box {@code [xmin, ymin, xmax, ymax]} in pixels of the upright image (2 decimals) and the score to 4
 * decimals. It formats only: the caller clips the detection to its image first ({@link Detection#clippedTo}).
 *
 * <p>{@code detect --spark} writes one line per image instead ({@link #ofImage}, {@link #ofFailure}): the same
 * fields per detection, gathered under the image, so that an image without detections or one that failed has its line.
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
        ObjectNode line = JSON.createObjectNode();
        line.put("image", image);
        put(line, className, detection);
        return text(line);
    }

    /**
     * One image's line (no line break), its detections in the given order, each with the fields of {@link #of} but the image:
     * <pre>{@code {"image":"s3a://photos/a.jpg","detections":[{"class":"dog","class_id":11,"score":0.8731,"box":[12.5,40.0,210.25,300.0]}]}}</pre>
     *
     * @param classNames the class name of each detection, in the same order
     */
    public static String ofImage(String image, List<String> classNames, List<Detection> detections) {
        requireNonNull(image, "image");
        requireNonNull(classNames, "classNames");
        requireNonNull(detections, "detections");
        if (classNames.size() != detections.size()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + detections.size() + " detections");
        }
        ObjectNode line = JSON.createObjectNode();
        line.put("image", image);
        var array = line.putArray("detections");
        for (int index = 0; index < detections.size(); index++) {
            put(array.addObject(), classNames.get(index), detections.get(index));
        }
        return text(line);
    }

    /** The line of an image that could not be read or decoded: {@code {"image":..,"error":"why"}}. */
    public static String ofFailure(String image, String reason) {
        requireNonNull(image, "image");
        requireNonNull(reason, "reason");
        ObjectNode line = JSON.createObjectNode();
        line.put("image", image);
        line.put("error", reason);
        return text(line);
    }

    private static void put(ObjectNode node, String className, Detection detection) {
        requireNonNull(className, "className");
        requireNonNull(detection, "detection");
        BoundingBox box = detection.box();
        node.put("class", className);
        node.put("class_id", detection.classId());
        node.put("score", round(detection.score(), SCORE_SCALE));
        node.putArray("box")
                .add(round(box.xmin(), BOX_SCALE))
                .add(round(box.ymin(), BOX_SCALE))
                .add(round(box.xmax(), BOX_SCALE))
                .add(round(box.ymax(), BOX_SCALE));
    }

    private static String text(ObjectNode line) {
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
