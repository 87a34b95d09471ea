package org.yolofleet.core.onnx;

import org.yolofleet.core.model.ResizeFilter;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExportOptions.Precision;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OnnxMetadataTest {
    private static final List<String> VOC_CLASSES = List.of("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat",
            "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor");

    @Test
    void writesTheKeysInOrderWithDarknetStyleAnchors() {
        OnnxMetadata metadata = OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "voc-2024-06");
        assertThat(metadata.toMap()).containsExactly(
                Map.entry("producer", "yolofleet"),
                Map.entry("model_version", "voc-2024-06"),
                Map.entry("classes", String.join(",", VOC_CLASSES)),
                Map.entry("anchors", "1.08,1.19,3.42,4.41,6.63,11.38,9.42,5.11,16.62,10.52"),
                Map.entry("input_width", "416"),
                Map.entry("input_height", "416"),
                Map.entry("resize_mode", "letterbox"),
                Map.entry("resize_filter", "area"),
                Map.entry("preprocessing", "RGB, [0,1], NCHW"),
                Map.entry("precision", "fp32"));
    }

    @Test
    void readsBackWhatItWrites() {
        ModelSpec spec = TinyYoloV2.spec(2, TinyYoloV2.COCO_ANCHORS, 320, 192, ResizeMode.RESIZE);
        OnnxMetadata metadata = OnnxMetadata.of(spec, List.of("fire hydrant", "stop sign"), "");
        assertThat(OnnxMetadata.fromMap(metadata.toMap())).isEqualTo(metadata);
        assertThat(metadata.anchors()).isEqualTo(TinyYoloV2.COCO_ANCHORS);
        assertThat(metadata.width()).isEqualTo(320);
        assertThat(metadata.height()).isEqualTo(192);
    }

    @Test
    void ignoresOtherKeysAndSpacesInAnchors() {
        Map<String, String> properties = new HashMap<>(OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "v").toMap());
        properties.put("anchors", "1.08,1.19,  3.42,4.41");
        properties.put("author", "someone");
        assertThat(OnnxMetadata.fromMap(properties).anchors()).containsExactly(new Anchor(1.08, 1.19), new Anchor(3.42, 4.41));
    }

    @Test
    void namesTheMissingOrMalformedKey() {
        Map<String, String> valid = OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "v").toMap();
        assertBad(without(valid, "classes"), "lacks 'classes'");
        assertBad(without(valid, "model_version"), "lacks 'model_version'");
        assertBad(with(valid, "anchors", "1.08,1.19,3.42"), "'anchors' = '1.08,1.19,3.42': expected width,height pairs");
        assertBad(with(valid, "anchors", "1.08,-1"), "'anchors'");
        assertBad(with(valid, "anchors", "a,b"), "'anchors'");
        assertBad(with(valid, "input_width", "wide"), "'input_width' = 'wide'");
        assertBad(with(valid, "input_height", "0"), "'input_height' = '0'");
        assertBad(with(valid, "resize_mode", "crop"), "'resize_mode' = 'crop': expected one of letterbox, resize");
        assertBad(with(valid, "preprocessing", "BGR, [0,255], NHWC"), "only 'RGB, [0,1], NCHW' is supported");
        assertBad(with(valid, "classes", "cat,,dog"), "class names must be non-blank");
    }

    @Test
    void needsOneCommaFreeNamePerClass() {
        assertThatThrownBy(() -> OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES.subList(0, 19), "v"))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("20 classes, got 19 class names");
        assertThatThrownBy(() -> new OnnxMetadata(List.of("a,b"), TinyYoloV2.VOC_ANCHORS, 416, 416, ResizeMode.LETTERBOX, "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no comma");
    }

    private static void assertBad(Map<String, String> properties, String message) {
        assertThatThrownBy(() -> OnnxMetadata.fromMap(properties))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining(message);
    }

    private static Map<String, String> without(Map<String, String> properties, String key) {
        Map<String, String> copy = new HashMap<>(properties);
        copy.remove(key);
        return copy;
    }

    private static Map<String, String> with(Map<String, String> properties, String key, String value) {
        Map<String, String> copy = new HashMap<>(properties);
        copy.put(key, value);
        return copy;
    }

    @Test
    void theResizeFilterTravelsWithTheModelAndDefaultsToAreaForEarlierExports() {
        OnnxMetadata darknet = OnnxMetadata.of(TinyYoloV2.voc().withResizeFilter(ResizeFilter.DARKNET), VOC_CLASSES, "v");
        assertThat(darknet.toMap()).containsEntry(OnnxMetadata.RESIZE_FILTER_KEY, "darknet");
        assertThat(OnnxMetadata.fromMap(darknet.toMap()).resizeFilter()).isEqualTo(ResizeFilter.DARKNET);

        Map<String, String> earlier = new HashMap<>(OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "v").toMap());
        earlier.remove(OnnxMetadata.RESIZE_FILTER_KEY);
        assertThat(OnnxMetadata.fromMap(earlier).resizeFilter()).isEqualTo(ResizeFilter.AREA);
    }

    @Test
    void thePrecisionTravelsWithTheModelAndDefaultsToFloat32ForEarlierExports() {
        OnnxMetadata half = OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "v").withPrecision(Precision.FLOAT16);
        assertThat(half.toMap()).containsEntry(OnnxMetadata.PRECISION_KEY, "fp16");
        assertThat(OnnxMetadata.fromMap(half.toMap())).isEqualTo(half);

        Map<String, String> earlier = new HashMap<>(OnnxMetadata.of(TinyYoloV2.voc(), VOC_CLASSES, "v").toMap());
        earlier.remove(OnnxMetadata.PRECISION_KEY);
        assertThat(OnnxMetadata.fromMap(earlier).precision()).isEqualTo(Precision.FLOAT32);
        assertBad(with(earlier, OnnxMetadata.PRECISION_KEY, "fp8"), "'precision' = 'fp8': expected fp32 or fp16");
    }
}
