package org.yolofleet.core.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NonMaxSuppressionTest {
    private static final NonMaxSuppression NMS = NonMaxSuppression.withIouThreshold(0.45);

    @Test
    void suppressesTheLowerScoringOfTwoOverlappingBoxesOfOneClass() {
        Detection strong = new Detection(0, 0.9, new BoundingBox(0, 0, 10, 10));
        Detection weak = new Detection(0, 0.6, new BoundingBox(1, 1, 11, 11));
        assertThat(NMS.apply(List.of(weak, strong))).containsExactly(strong);
    }

    @Test
    void keepsOverlappingBoxesOfDifferentClasses() {
        Detection dog = new Detection(0, 0.9, new BoundingBox(0, 0, 10, 10));
        Detection cat = new Detection(1, 0.6, new BoundingBox(0, 0, 10, 10));
        assertThat(NMS.apply(List.of(cat, dog))).containsExactly(dog, cat);
    }

    @Test
    void suppressesOnlyAboveTheThreshold() {
        // intersection 1, union 2 + 2 - 1 = 3: IoU exactly 1/3
        Detection first = new Detection(0, 0.9, new BoundingBox(0, 0, 2, 1));
        Detection second = new Detection(0, 0.8, new BoundingBox(1, 0, 3, 1));
        assertThat(NonMaxSuppression.withIouThreshold(1.0 / 3).apply(List.of(first, second))).containsExactly(first, second);
        assertThat(NonMaxSuppression.withIouThreshold(Math.nextDown(1.0 / 3)).apply(List.of(first, second))).containsExactly(first);
        assertThat(NonMaxSuppression.withIouThreshold(1).apply(List.of(first, first))).containsExactly(first, first);
    }

    @Test
    void suppressedBoxesDoNotSuppressOthers() {
        // a overlaps b, b overlaps c, a and c do not overlap: greedy keeps a and c
        Detection a = new Detection(0, 0.9, new BoundingBox(0, 0, 10, 10));
        Detection b = new Detection(0, 0.8, new BoundingBox(3, 0, 13, 10));
        Detection c = new Detection(0, 0.7, new BoundingBox(10, 0, 20, 10));
        assertThat(NMS.apply(List.of(c, b, a))).containsExactly(a, c);
    }

    @Test
    void ordersByDescendingScoreAndKeepsInputOrderOnTies() {
        Detection first = new Detection(2, 0.5, new BoundingBox(0, 0, 1, 1));
        Detection second = new Detection(0, 0.5, new BoundingBox(5, 5, 6, 6));
        Detection third = new Detection(1, 0.5, new BoundingBox(9, 9, 10, 10));
        Detection best = new Detection(1, 0.7, new BoundingBox(20, 20, 21, 21));
        assertThat(NMS.apply(List.of(first, second, third, best))).containsExactly(best, first, second, third);
        // equal scores and the same box: the first in the input survives
        Detection copy = new Detection(2, 0.5, new BoundingBox(0, 0, 1, 1));
        assertThat(NMS.apply(List.of(first, copy))).singleElement().isSameAs(first);
    }

    @Test
    void capsTheNumberOfDetections() {
        List<Detection> detections = List.of(
                new Detection(0, 0.3, new BoundingBox(0, 0, 1, 1)),
                new Detection(1, 0.9, new BoundingBox(0, 0, 1, 1)),
                new Detection(0, 0.8, new BoundingBox(0, 0, 1, 1)),
                new Detection(2, 0.6, new BoundingBox(0, 0, 1, 1)));
        assertThat(NMS.withMaxDetections(2).apply(detections)).extracting(Detection::score).containsExactly(0.9, 0.8);
    }

    @Test
    void emptyInputGivesEmptyOutput() {
        assertThat(NMS.apply(List.of())).isEmpty();
    }

    @Test
    void agreesWithAStraightforwardGreedyImplementation() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<Detection> detections = new ArrayList<>();
            int count = random.nextInt(400);
            for (int index = 0; index < count; index++) {
                double x = random.nextDouble() * 100;
                double y = random.nextDouble() * 100;
                // sizes over several orders of magnitude, some empty; coarse scores so that ties happen
                double width = random.nextInt(50) == 0 ? 0 : Math.exp(random.nextDouble() * 7 - 2);
                double height = random.nextInt(50) == 0 ? 0 : Math.exp(random.nextDouble() * 7 - 2);
                double score = random.nextInt(20) / 20.0;
                detections.add(new Detection(random.nextInt(4), score, new BoundingBox(x, y, x + width, y + height)));
            }
            double threshold = switch (round % 4) {
                case 0 -> 0;
                case 1 -> 1;
                default -> random.nextDouble();
            };
            assertThat(NonMaxSuppression.withIouThreshold(threshold).apply(detections))
                    .as("round %d, threshold %s", round, threshold)
                    .containsExactlyElementsOf(referenceSuppression(detections, threshold));
        }
    }

    @Test
    void sparseLargeClassIdsAreGroupedCorrectly() {
        Detection first = new Detection(1_000_000, 0.9, new BoundingBox(0, 0, 10, 10));
        Detection second = new Detection(7, 0.8, new BoundingBox(0, 0, 10, 10));
        Detection suppressed = new Detection(1_000_000, 0.7, new BoundingBox(0, 0, 10, 10));
        assertThat(NMS.apply(List.of(suppressed, second, first))).containsExactly(first, second);
    }

    @Test
    void rejectsBadSettings() {
        assertThatThrownBy(() -> NonMaxSuppression.withIouThreshold(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NonMaxSuppression.withIouThreshold(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NMS.withMaxDetections(0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Greedy suppression over boxed objects, written for clarity rather than speed. */
    private static List<Detection> referenceSuppression(List<Detection> detections, double threshold) {
        List<Detection> ranked = new ArrayList<>(detections);
        ranked.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> kept = new ArrayList<>();
        for (Detection candidate : ranked) {
            boolean suppressed = kept.stream()
                    .anyMatch(survivor -> survivor.classId() == candidate.classId() && survivor.box().iou(candidate.box()) > threshold);
            if (!suppressed) {
                kept.add(candidate);
            }
        }
        return kept;
    }
}
