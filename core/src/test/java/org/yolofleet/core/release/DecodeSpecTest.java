package org.yolofleet.core.release;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.core.model.RegionLayer;
import org.yolofleet.core.model.ResizeFilter;
import org.yolofleet.core.model.ResizeMode;
import org.yolofleet.core.model.TinyYoloV2;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.onnx.OnnxMetadata;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.yolofleet.core.release.ReleaseFixtures.VOC_CLASSES;
import static org.yolofleet.core.release.ReleaseFixtures.bytes;
import static org.yolofleet.core.release.ReleaseFixtures.text;

class DecodeSpecTest {
    @Test
    void describesTinyYoloV2VocAt416() {
        DecodeSpec spec = ReleaseFixtures.vocDecodeSpec();
        assertThat(spec.gridWidth()).isEqualTo(13);
        assertThat(spec.gridHeight()).isEqualTo(13);
        assertThat(spec.anchors()).hasSize(5).isEqualTo(TinyYoloV2.VOC_ANCHORS);
        assertThat(spec.outputChannels()).isEqualTo(125);
        assertThat(spec.classes()).isEqualTo(VOC_CLASSES);
        String json = text(spec.toJson());
        assertThat(json).contains("\"shape\": [ 1, 3, 416, 416 ]", "\"shape\": [ 1, 125, 13, 13 ]", "\"layout\": \"[A*(5+C), H/32, W/32]\"",
                "\"name\": \"images\"", "\"name\": \"region\"", "\"resizeMode\": \"letterbox\"", "\"resizeFilter\": \"area\"",
                "\"anchors\": [ 1.08, 1.19, 3.42, 4.41, 6.63, 11.38, 9.42, 5.11, 16.62, 10.52 ]");
    }

    @Test
    void agreesWithTheOnnxMetadataOfTheSameModel() {
        ModelSpec model = TinyYoloV2.voc().withResizeFilter(ResizeFilter.DARKNET);
        DecodeSpec spec = DecodeSpec.from(model, VOC_CLASSES, DecodeThresholds.DARKNET);
        Map<String, String> metadata = OnnxMetadata.of(model, VOC_CLASSES, "v").toMap();
        String json = text(spec.toJson());
        assertThat(String.join(", ", DecodeSpec.COLOUR_ORDER, DecodeSpec.VALUE_RANGE, DecodeSpec.INPUT_LAYOUT))
                .isEqualTo(metadata.get(OnnxMetadata.PREPROCESSING_KEY));
        assertThat(json).contains("\"resizeMode\": \"" + metadata.get(OnnxMetadata.RESIZE_MODE_KEY) + "\"",
                "\"resizeFilter\": \"" + metadata.get(OnnxMetadata.RESIZE_FILTER_KEY) + "\"",
                "\"name\": \"" + OnnxExporter.INPUT_NAME + "\"", "\"name\": \"" + OnnxExporter.OUTPUT_NAME + "\"");
        assertThat(String.join(",", spec.classes())).isEqualTo(metadata.get(OnnxMetadata.CLASSES_KEY));
        assertThat(spec.width()).isEqualTo(Integer.parseInt(metadata.get(OnnxMetadata.INPUT_WIDTH_KEY)));
        assertThat(spec.height()).isEqualTo(Integer.parseInt(metadata.get(OnnxMetadata.INPUT_HEIGHT_KEY)));
        // the anchors in the ONNX metadata's order and values
        OnnxMetadata parsed = OnnxMetadata.fromMap(metadata);
        assertThat(spec.anchors()).isEqualTo(parsed.anchors());
    }

    @Test
    void theWorkedExampleIsWhatRegionDecoderGives() {
        DecodeSpec spec = ReleaseFixtures.vocDecodeSpec();
        DecodeExample example = spec.example();
        float[] tensor = example.tensor(13, 13, 5, 20);
        // decoded here independently of DecodeExample: RegionDecoder, Darknet's letterbox of 640 x 480 into 416 x 416
        List<Detection> detections = RegionDecoder.of(13, 13, TinyYoloV2.VOC_ANCHORS, 20)
                .detect(tensor, Letterbox.letterbox(640, 480, 416, 416), 0.25, NonMaxSuppression.withIouThreshold(0.45));
        assertThat(detections).hasSize(1);
        Detection detection = detections.get(0);
        DecodeExample.ExampleDetection documented = example.detections().get(0);
        assertThat(example.detections()).hasSize(1);
        assertThat(documented.classId()).isEqualTo(detection.classId()).isEqualTo(19);
        assertThat(documented.className()).isEqualTo("tvmonitor");
        assertThat(documented.score()).isEqualTo(detection.score());
        assertThat(documented.imageBox()).isEqualTo(detection.box());
        // the rules' arithmetic by hand for the centre: (col + sigmoid(tx)) / W at column 6 with tx 0.5
        double centerX = (6 + 1 / (1 + Math.exp(-0.5))) / 13;
        assertThat(documented.inputBox().centerX()).isCloseTo(centerX * 416, within(1e-9));
        assertThat(documented.imageBox().centerX()).isCloseTo(centerX * 416 * 640 / 416, within(1e-9));
        // letterboxed 640 x 480 is 416 x 312 at offset 52: y maps through the offset
        double centerY = (6 + 1 / (1 + Math.exp(0.25))) / 13;
        assertThat(documented.imageBox().centerY()).isCloseTo((centerY * 416 - 52) * 480 / 312, within(1e-9));
    }

    @Test
    void theExampleReadBackDecodesToItsDetections() {
        DecodeSpec spec = DecodeSpec.from(TinyYoloV2.coco().withResizeMode(ResizeMode.RESIZE).withInputSize(320, 256),
                cocoNames(), new DecodeThresholds(0.3, 0.5));
        DecodeSpec read = DecodeSpec.fromJson(spec.toJson());
        assertThat(read).isEqualTo(spec);
        assertThat(read.gridWidth()).isEqualTo(10);
        assertThat(read.gridHeight()).isEqualTo(8);
        DecodeExample example = read.example();
        List<Detection> detections = read.decoder().detect(example.tensor(10, 8, 5, 80), Letterbox.resize(640, 480, 320, 256), 0.3,
                NonMaxSuppression.withIouThreshold(0.5));
        assertThat(detections).extracting(Detection::box)
                .containsExactlyElementsOf(example.detections().stream().map(DecodeExample.ExampleDetection::imageBox).toList());
        assertThat(text(spec.toJson())).contains("\"toImage\": \"resize:");
    }

    @Test
    void roundTripsAndIsStrict() {
        DecodeSpec spec = ReleaseFixtures.vocDecodeSpec();
        byte[] json = spec.toJson();
        assertThat(DecodeSpec.fromJson(json)).isEqualTo(spec);
        assertThat(DecodeSpec.fromJson(json).toJson()).isEqualTo(json);
        String text = text(json);
        assertThatThrownBy(() -> DecodeSpec.fromJson(bytes(text.replace("\"colourOrder\": \"RGB\"", "\"colourOrder\": \"BGR\""))))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_RELEASE))
                .hasMessageContaining("'input.colourOrder' is 'BGR', this reader supports 'RGB' only");
        assertThatThrownBy(() -> DecodeSpec.fromJson(bytes(text.replace("\"objectness\": \"sigmoid(to)\"", "\"objectness\": \"to\""))))
                .hasMessageContaining("'rules.objectness'");
        assertThatThrownBy(() -> DecodeSpec.fromJson(bytes(text.replace("[ 1, 125, 13, 13 ]", "[ 1, 120, 13, 13 ]"))))
                .hasMessageContaining("120 channels, but 5 anchors and 20 classes make 125");
        assertThatThrownBy(() -> DecodeSpec.fromJson(bytes(text.replace("\"schemaVersion\": 1", "\"schemaVersion\": 3"))))
                .hasMessageContaining("supports decode spec schema version 1 only");
    }

    @Test
    void refusesNamesThatDoNotFitAndANetworkWithoutSoftmax() {
        assertThatThrownBy(() -> DecodeSpec.from(TinyYoloV2.voc(), VOC_CLASSES.subList(0, 19), DecodeThresholds.DARKNET))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG));
        RegionLayer region = TinyYoloV2.voc().region();
        ModelSpec withoutSoftmax = TinyYoloV2.voc().withRegion(new RegionLayer(region.anchors(), region.classes(),
                region.coordinates(), false, region.jitter(), region.rescore(), region.objectScale(), region.noObjectScale(), region.classScale(),
                region.coordinateScale(), region.absolute(), region.threshold(), region.multiScaleTraining(), region.biasMatch()));
        assertThatThrownBy(() -> DecodeSpec.from(withoutSoftmax, VOC_CLASSES, DecodeThresholds.DARKNET))
                .isInstanceOfSatisfying(YoloFleetException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_MODEL_SPEC))
                .hasMessageContaining("softmax=0");
    }

    private static List<String> cocoNames() {
        return IntStream.range(0, 80).mapToObj(index -> "c" + index).toList();
    }
}
