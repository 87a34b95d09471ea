package org.yolofleet.core.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

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
}
