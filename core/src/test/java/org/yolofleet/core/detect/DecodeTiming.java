package org.yolofleet.core.detect;

import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Manual timing of decode + NMS of one Tiny-YOLOv2 VOC output (13 x 13 x 125: 5 anchors, 20 classes) at threshold
 * 0.005, the setting VOC evaluation uses. Not a test: run it with
 * {@code java -cp core/target/classes:core/target/test-classes org.yolofleet.core.detect.DecodeTiming}.
 *
 * <p>Two tensors: a "typical" one shaped like a trained network's output (most objectness logits well below 0) and a
 * "worst case" of standard normal logits, where nearly every cell, anchor and class clears 0.005.
 */
public final class DecodeTiming {
    private static final int GRID = 13;
    private static final int CLASSES = 20;
    private static final double[] VOC_ANCHORS = {1.08, 1.19, 3.42, 4.41, 6.63, 11.38, 9.42, 5.11, 16.62, 10.52};
    private static final double THRESHOLD = 0.005;
    private static final int ITERATIONS = 2_000;

    private DecodeTiming() {}

    public static void main(String[] arguments) {
        RegionDecoder decoder = new RegionDecoder(GRID, GRID, VOC_ANCHORS, CLASSES);
        NonMaxSuppression suppression = NonMaxSuppression.withIouThreshold(0.45);
        Letterbox letterbox = Letterbox.letterbox(500, 375, 416, 416);
        time("typical", decoder, typicalOutput(decoder, new Random(1)), letterbox, suppression);
        time("worst case", decoder, normalOutput(decoder, new Random(2)), letterbox, suppression);
    }

    private static void time(String name, RegionDecoder decoder, float[] output, Letterbox letterbox, NonMaxSuppression suppression) {
        int candidates = decoder.decode(output, letterbox, THRESHOLD).size();
        int kept = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            kept = decoder.detect(output, letterbox, THRESHOLD, suppression).size();
        }
        long best = Long.MAX_VALUE;
        long total = 0;
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            long start = System.nanoTime();
            List<Detection> detections = decoder.detect(output, letterbox, THRESHOLD, suppression);
            long elapsed = System.nanoTime() - start;
            kept = detections.size();
            best = Math.min(best, elapsed);
            total += elapsed;
        }
        System.out.printf(Locale.ROOT, "%-10s: %5d candidates, %4d after NMS; decode + NMS %.3f ms mean, %.3f ms best (%d runs)%n",
                name, candidates, kept, total / 1e6 / ITERATIONS, best / 1e6, ITERATIONS);
    }

    private static float[] typicalOutput(RegionDecoder decoder, Random random) {
        float[] output = normalOutput(decoder, random);
        int cells = GRID * GRID;
        for (int anchor = 0; anchor < decoder.anchorCount(); anchor++) {
            int objectnessBase = (anchor * (5 + CLASSES) + 4) * cells;
            for (int cell = 0; cell < cells; cell++) {
                output[objectnessBase + cell] = (float) (random.nextGaussian() * 2 - 6);
            }
            for (int classId = 0; classId < CLASSES; classId++) {
                int classBase = (anchor * (5 + CLASSES) + 5 + classId) * cells;
                for (int cell = 0; cell < cells; cell++) {
                    output[classBase + cell] = (float) (random.nextGaussian() * 3);
                }
            }
        }
        return output;
    }

    private static float[] normalOutput(RegionDecoder decoder, Random random) {
        float[] output = new float[decoder.outputLength()];
        for (int index = 0; index < output.length; index++) {
            output[index] = (float) random.nextGaussian();
        }
        return output;
    }
}
