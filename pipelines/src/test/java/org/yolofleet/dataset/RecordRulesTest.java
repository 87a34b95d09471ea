package org.yolofleet.dataset;

import org.junit.jupiter.api.Test;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordRulesTest {
    @Test
    void classIdsAreTheConfiguredOrder() {
        RecordRules rules = RecordRules.withDefaults(List.of("car", "person"), Map.of());
        assertThat(rules.classId("car")).contains(0);
        assertThat(rules.classId("person")).contains(1);
        assertThat(rules.classId("dog")).isEmpty();
    }

    @Test
    void anImageWhoseObjectsAreAllRejectedIsRejectedUnlessTheRulesKeepIt() {
        RecordRules rules = RecordRules.withDefaults(List.of("car"), Map.of());
        assertThat(rules.allObjectsRejected()).isEqualTo(RecordRules.AllObjectsRejected.REJECT);
        RecordRules keeping = rules.withAllObjectsRejected(RecordRules.AllObjectsRejected.KEEP_AS_NEGATIVE);
        assertThat(keeping.allObjectsRejected()).isEqualTo(RecordRules.AllObjectsRejected.KEEP_AS_NEGATIVE);
        assertThat(keeping.withAllObjectsRejected(RecordRules.AllObjectsRejected.REJECT)).isEqualTo(rules);
    }

    @Test
    void invalidRulesNameTheKey() {
        assertInvalid(() -> new RecordRules(List.of(), Map.of(), 1, 0, 0, 90), "classes");
        assertInvalid(() -> new RecordRules(List.of("car", "car"), Map.of(), 1, 0, 0, 90), "classes");
        assertInvalid(() -> new RecordRules(List.of(" car"), Map.of(), 1, 0, 0, 90), "classes");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of("auto", "truck"), 1, 0, 0, 90), "aliases");
        assertInvalid(() -> new RecordRules(List.of("car", "truck"), Map.of("truck", "car"), 1, 0, 0, 90), "aliases");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of(), 0, 0, 0, 90), "maxImagePixels");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of(), 1, -1, 0, 90), "clipTolerancePixels");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of(), 1, Double.NaN, 0, 90), "clipTolerancePixels");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of(), 1, 0, Double.POSITIVE_INFINITY, 90), "minBoxSizePixels");
        assertInvalid(() -> new RecordRules(List.of("car"), Map.of(), 1, 0, 0, 101), "jpegQuality");
    }

    @Test
    void travelsToSparkExecutors() throws IOException, ClassNotFoundException {
        RecordRules rules = new RecordRules(List.of("car", "person"), Map.of("pedestrian", "person"), 1000, 1.5, 2, 80);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream output = new ObjectOutputStream(bytes)) {
            output.writeObject(rules);
        }
        try (ObjectInputStream input = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(input.readObject()).isEqualTo(rules);
        }
    }

    private static void assertInvalid(Runnable construction, String key) {
        assertThatThrownBy(construction::run).isInstanceOfSatisfying(YoloFleetException.class, failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.CONFIG);
            assertThat(failure.getMessage()).contains(key + " = ");
        });
    }
}
