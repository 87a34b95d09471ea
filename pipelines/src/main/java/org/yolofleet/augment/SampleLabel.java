package org.yolofleet.augment;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ResizeMode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * The {@code <key>.json} next to each {@code <key>.jpg} in a shard: the boxes in pixels of the network canvas,
 * where the sample came from, and the augmentation that made it.
 */
@JsonPropertyOrder({"id", "split", "copy", "width", "height", "resize_mode", "source_width", "source_height", "boxes",
        "dropped_boxes", "augmentation"})
public record SampleLabel(
        @JsonProperty("id") String id,
        @JsonProperty("split") String split,
        @JsonProperty("copy") int copy,
        @JsonProperty("width") int width,
        @JsonProperty("height") int height,
        @JsonProperty("resize_mode") String resizeMode,
        @JsonProperty("source_width") int sourceWidth,
        @JsonProperty("source_height") int sourceHeight,
        @JsonProperty("boxes") List<Box> boxes,
        @JsonProperty("dropped_boxes") int droppedBoxes,
        @JsonProperty("augmentation") Augmentation augmentation) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SampleLabel {
        requireNonNull(id, "id");
        requireNonNull(split, "split");
        requireNonNull(resizeMode, "resizeMode");
        boxes = List.copyOf(boxes);
        requireNonNull(augmentation, "augmentation");
    }

    /** One object on the canvas, corners in pixels (continuous coordinates, rounded to 1/1000 px). */
    @JsonPropertyOrder({"class_id", "class_name", "xmin", "ymin", "xmax", "ymax", "difficult", "truncated"})
    public record Box(
            @JsonProperty("class_id") int classId,
            @JsonProperty("class_name") String className,
            @JsonProperty("xmin") double xmin,
            @JsonProperty("ymin") double ymin,
            @JsonProperty("xmax") double xmax,
            @JsonProperty("ymax") double ymax,
            @JsonProperty("difficult") boolean difficult,
            @JsonProperty("truncated") boolean truncated) {
        public Box {
            requireNonNull(className, "className");
        }
    }

    /**
     * @param crop the source window {@code [left, top, right, bottom]} in source pixels
     */
    @JsonPropertyOrder({"crop", "flip", "hue", "saturation", "exposure"})
    public record Augmentation(
            @JsonProperty("crop") List<Double> crop,
            @JsonProperty("flip") boolean flip,
            @JsonProperty("hue") double hue,
            @JsonProperty("saturation") double saturation,
            @JsonProperty("exposure") double exposure) {
        public Augmentation {
            crop = List.copyOf(crop);
        }

        static Augmentation of(AugmentationParameters parameters) {
            return new Augmentation(
                    List.of(round(parameters.cropLeft(), 3), round(parameters.cropTop(), 3), round(parameters.cropRight(), 3),
                            round(parameters.cropBottom(), 3)),
                    parameters.flip(), round(parameters.hueShift(), 6), round(parameters.saturationScale(), 6),
                    round(parameters.exposureScale(), 6));
        }
    }

    static SampleLabel of(PreparedRecord record, int copy, ImageAugmenter.AugmentedImage augmented, AugmentationParameters parameters,
                          ResizeMode mode) {
        List<Box> boxes = augmented.boxes().stream()
                .map(box -> new Box(box.classId(), box.className(), round(box.box().xmin(), 3), round(box.box().ymin(), 3),
                        round(box.box().xmax(), 3), round(box.box().ymax(), 3), box.difficult(), box.truncated()))
                .toList();
        return new SampleLabel(record.id(), record.split().directoryName(), copy, augmented.image().width(), augmented.image().height(),
                mode.name().toLowerCase(Locale.ROOT), record.width(), record.height(), boxes, augmented.droppedBoxes(), Augmentation.of(parameters));
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException exception) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot write a sample label: " + exception.getMessage(), exception);
        }
    }

    public static SampleLabel fromJson(byte[] json) {
        try {
            return JSON.readValue(json, SampleLabel.class);
        } catch (IOException exception) {
            throw new YoloFleetException(ErrorCode.BAD_DATASET, "cannot read a sample label: " + exception.getMessage(), exception);
        }
    }

    static double round(double value, int decimals) {
        double factor = Math.pow(10, decimals);
        double rounded = Math.round(value * factor) / factor;
        return rounded == 0 ? 0 : rounded;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s copy %d (%d boxes)", id, copy, boxes.size());
    }
}
