package org.yolofleet.core.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DetectionJsonLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void lineHoldsTheFieldsInOrderWithScoreToFourAndBoxToTwoDecimals() throws Exception {
        String line = DetectionJsonLine.of("photos/a.jpg", "dog", new Detection(11, 0.873_149, new BoundingBox(12.504, 40.0, 210.246, 299.999)));

        JsonNode json = JSON.readTree(line);
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("image", "class", "class_id", "score", "box");
        assertThat(json.get("image").asText()).isEqualTo("photos/a.jpg");
        assertThat(json.get("class").asText()).isEqualTo("dog");
        assertThat(json.get("class_id").asInt()).isEqualTo(11);
        assertThat(json.get("score").asDouble()).isEqualTo(0.8731);
        List<Double> box = new ArrayList<>();
        json.get("box").forEach(value -> box.add(value.asDouble()));
        assertThat(box).containsExactly(12.5, 40.0, 210.25, 300.0);
        assertThat(line).doesNotContain("\n");
    }

    @Test
    void imageNamesWithQuotesAndBackslashesStayOneValidString() throws Exception {
        String image = "dir\\odd \"name\".jpg";
        String line = DetectionJsonLine.of(image, "cat", new Detection(0, 0.5, new BoundingBox(0, 0, 1, 1)));

        assertThat(JSON.readTree(line).get("image").asText()).isEqualTo(image);
    }

    @Test
    void imageLineGathersTheDetectionsWithTheFieldsOfTheDetectionLine() throws Exception {
        Detection dog = new Detection(11, 0.873_149, new BoundingBox(12.504, 40.0, 210.246, 299.999));
        Detection cat = new Detection(7, 0.5, new BoundingBox(1, 2, 3, 4));

        JsonNode json = JSON.readTree(DetectionJsonLine.ofImage("s3a://photos/a.jpg", List.of("dog", "cat"), List.of(dog, cat)));

        assertThat(json.get("image").asText()).isEqualTo("s3a://photos/a.jpg");
        assertThat(json.get("detections")).hasSize(2);
        JsonNode single = JSON.readTree(DetectionJsonLine.of("s3a://photos/a.jpg", "dog", dog));
        ((ObjectNode) single).remove("image");
        assertThat(json.get("detections").get(0)).isEqualTo(single);
        assertThat(json.get("detections").get(1).get("class").asText()).isEqualTo("cat");
        assertThat(JSON.readTree(DetectionJsonLine.ofImage("b.jpg", List.of(), List.of())).get("detections")).isEmpty();
    }

    @Test
    void imageLineRefusesClassNamesThatDoNotPairWithTheDetections() {
        assertThatThrownBy(() -> DetectionJsonLine.ofImage("a.jpg", List.of("dog"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 class names for 0 detections");
    }

    @Test
    void failureLineNamesTheImageAndTheReason() throws Exception {
        JsonNode json = JSON.readTree(DetectionJsonLine.ofFailure("bad.jpg", "truncated \"JPEG\""));

        assertThat(json.get("image").asText()).isEqualTo("bad.jpg");
        assertThat(json.get("error").asText()).isEqualTo("truncated \"JPEG\"");
        assertThat(json.has("detections")).isFalse();
    }
}
