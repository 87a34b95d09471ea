package org.yolofleet.core.detect;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RegionDecoderTest {
    private static final double TOLERANCE = 1e-6;
    /** An objectness logit whose sigmoid (about 4e-44) is below any threshold used here. */
    private static final float ABSENT = -100f;

    /** A tensor builder that knows the layout: channel {@code anchor * (5 + C) + entry}, then row, then column. */
    private record Tensor(RegionDecoder decoder, float[] values) {
        static Tensor empty(RegionDecoder decoder) {
            float[] values = new float[decoder.outputLength()];
            Tensor tensor = new Tensor(decoder, values);
            for (int anchor = 0; anchor < decoder.anchorCount(); anchor++) {
                for (int row = 0; row < decoder.gridHeight(); row++) {
                    for (int col = 0; col < decoder.gridWidth(); col++) {
                        tensor.set(anchor, 4, row, col, ABSENT);
                    }
                }
            }
            return tensor;
        }

        void set(int anchor, int entry, int row, int col, float value) {
            int channel = anchor * (5 + decoder.classes()) + entry;
            values[(channel * decoder.gridHeight() + row) * decoder.gridWidth() + col] = value;
        }

        /** Sets one prediction: box logits, objectness logit and class logits. */
        void predict(int anchor, int row, int col, float tx, float ty, float tw, float th, float objectness, float... classLogits) {
            set(anchor, 0, row, col, tx);
            set(anchor, 1, row, col, ty);
            set(anchor, 2, row, col, tw);
            set(anchor, 3, row, col, th);
            set(anchor, 4, row, col, objectness);
            for (int classId = 0; classId < classLogits.length; classId++) {
                set(anchor, 5 + classId, row, col, classLogits[classId]);
            }
        }
    }

    @Test
    void decodesKnownLogitsIntoExactBoxesAndScores() {
        // grid 3 wide, 2 high (non-square to catch a row/column mix-up), anchors 1 x 1 and 2 x 3 cells, 3 classes
        RegionDecoder decoder = new RegionDecoder(3, 2, new double[] {1, 1, 2, 3}, 3);
        Tensor tensor = Tensor.empty(decoder);
        // anchor 1 at row 1, col 2: sigmoid(0) = 0.5 so centre (2.5 / 3, 1.5 / 2); w = 2 * e^0 / 3; h = 3 * e^ln(0.5) / 2 = 0.75
        // objectness sigmoid(0) = 0.5, class softmax of (0, ln 3, ln 4) = (1/8, 3/8, 4/8): scores 1/16, 3/16, 4/16
        float halfLogit = (float) Math.log(0.5);
        tensor.predict(1, 1, 2, 0f, 0f, 0f, halfLogit, 0f, 0f, (float) Math.log(3), (float) Math.log(4));

        // plain resize of a 300 x 100 image: network x * 300, y * 100
        List<Detection> detections = decoder.decode(tensor.values(), Letterbox.resize(300, 100, 96, 64), 0.1);

        assertThat(detections).extracting(Detection::classId).containsExactly(1, 2);
        assertThat(detections.get(0).score()).isCloseTo(3.0 / 16, within(TOLERANCE));
        assertThat(detections.get(1).score()).isCloseTo(4.0 / 16, within(TOLERANCE));
        BoundingBox expected = BoundingBox.fromCenter(2.5 / 3 * 300, 1.5 / 2 * 100, 2.0 / 3 * 300, 3 * Math.exp(halfLogit) / 2 * 100);
        assertThat(expected.height()).isCloseTo(75, within(1e-5));
        for (Detection detection : detections) {
            assertBox(detection.box(), expected);
        }
    }

    @Test
    void sigmoidOffsetsAndExponentialSizes() {
        RegionDecoder decoder = new RegionDecoder(4, 4, new double[] {1.5, 0.5}, 1);
        Tensor tensor = Tensor.empty(decoder);
        float tx = 1.2f;
        float ty = -0.7f;
        float tw = 0.3f;
        float th = -0.4f;
        tensor.predict(0, 3, 1, tx, ty, tw, th, 2f, 5f);

        List<Detection> detections = decoder.decode(tensor.values(), Letterbox.resize(4, 4, 128, 128), 0.5);

        // one class: softmax 1, score = sigmoid(2)
        assertThat(detections).hasSize(1);
        assertThat(detections.get(0).score()).isCloseTo(sigmoid(2), within(1e-12));
        BoundingBox expected = BoundingBox.fromCenter(
                (1 + sigmoid(tx)) / 4 * 4, (3 + sigmoid(ty)) / 4 * 4, 1.5 * Math.exp(tw) / 4 * 4, 0.5 * Math.exp(th) / 4 * 4);
        assertBox(detections.get(0).box(), expected);
    }

    @Test
    void undoesTheLetterboxOfANonSquareImage() {
        // 832 x 416 into 416 x 416: resized 416 x 208 at offset (0, 104)
        RegionDecoder decoder = new RegionDecoder(13, 13, new double[] {1.08, 1.19, 3.42, 4.41}, 2);
        Tensor tensor = Tensor.empty(decoder);
        tensor.predict(1, 6, 6, 0f, 0f, 0f, 0f, 5f, 3f, 0f);
        Letterbox letterbox = Letterbox.letterbox(832, 416, 416, 416);

        List<Detection> detections = decoder.decode(tensor.values(), letterbox, 0.5);

        assertThat(detections).hasSize(1);
        // the centre cell's centre is the network centre, so the image centre (416, 208)
        // width 3.42 / 13 of the 416 network pixels, at 2 image pixels per network pixel: 3.42 / 13 * 832
        // height 4.41 / 13 of 416 network pixels: 4.41 * 32 * 2 image pixels
        BoundingBox box = detections.get(0).box();
        assertThat(box.centerX()).isCloseTo(416, within(TOLERANCE));
        assertThat(box.centerY()).isCloseTo(208, within(TOLERANCE));
        assertThat(box.width()).isCloseTo(3.42 / 13 * 832, within(TOLERANCE));
        assertThat(box.height()).isCloseTo(4.41 * 32 * 2, within(TOLERANCE));
        assertBox(box, letterbox.toImage(BoundingBox.fromCenter(0.5, 0.5, 3.42 / 13, 4.41 / 13)));
    }

    @Test
    void keepsScoresExactlyAtTheThreshold() {
        // sigmoid(0) = 0.5 and two equal logits give 0.5: every score is exactly 0.25
        RegionDecoder decoder = new RegionDecoder(1, 1, new double[] {1, 1}, 2);
        Tensor tensor = Tensor.empty(decoder);
        tensor.predict(0, 0, 0, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
        Letterbox letterbox = Letterbox.resize(32, 32, 32, 32);

        assertThat(decoder.decode(tensor.values(), letterbox, 0.25)).extracting(Detection::score).containsExactly(0.25, 0.25);
        assertThat(decoder.decode(tensor.values(), letterbox, Math.nextUp(0.25))).isEmpty();
    }

    @Test
    void thresholdZeroKeepsEveryPairAndOneKeepsOnlyCertainty() {
        RegionDecoder decoder = new RegionDecoder(2, 3, new double[] {1, 1, 2, 2}, 4);
        float[] output = new float[decoder.outputLength()];
        Letterbox letterbox = Letterbox.resize(64, 96, 64, 96);

        // all logits 0: every score is 0.5 / 4
        assertThat(decoder.decode(output, letterbox, 0)).hasSize(2 * 3 * 2 * 4);
        assertThat(decoder.decode(output, letterbox, 1)).isEmpty();

        RegionDecoder single = new RegionDecoder(1, 1, new double[] {1, 1}, 1);
        float[] certain = {0f, 0f, 0f, 0f, 100f, 0f};
        assertThat(decoder.decode(output, letterbox, 0.125)).hasSize(2 * 3 * 2 * 4);
        assertThat(single.decode(certain, Letterbox.resize(32, 32, 32, 32), 1)).extracting(Detection::score).containsExactly(1.0);
    }

    @Test
    void skipsAnchorsBelowTheThresholdBeforeLookingAtClasses() {
        // objectness 0.5 but the best class only 1/3 of it: sigmoid * max probability = 1/6 < 0.2
        RegionDecoder decoder = new RegionDecoder(1, 1, new double[] {1, 1}, 3);
        Tensor tensor = Tensor.empty(decoder);
        tensor.predict(0, 0, 0, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);

        assertThat(decoder.decode(tensor.values(), Letterbox.resize(32, 32, 32, 32), 0.2)).isEmpty();
        assertThat(decoder.decode(tensor.values(), Letterbox.resize(32, 32, 32, 32), 0.16)).hasSize(3);
    }

    @Test
    void skipsNonFiniteValues() {
        RegionDecoder decoder = new RegionDecoder(3, 1, new double[] {1, 1}, 1);
        Tensor tensor = Tensor.empty(decoder);
        tensor.predict(0, 0, 0, 0f, 0f, 1000f, 0f, 5f, 0f);
        tensor.predict(0, 0, 1, 0f, 0f, 0f, 0f, Float.NaN, 0f);
        tensor.predict(0, 0, 2, 0f, 0f, 0f, 0f, 5f, 0f);

        List<Detection> detections = decoder.decode(tensor.values(), Letterbox.resize(96, 32, 96, 32), 0.5);

        assertThat(detections).hasSize(1);
        assertThat(detections.get(0).box().centerX()).isCloseTo(80, within(TOLERANCE));
    }

    @Test
    void decodesOneImageOfABatch() {
        RegionDecoder decoder = new RegionDecoder(2, 2, new double[] {1, 1}, 1);
        Tensor first = Tensor.empty(decoder);
        Tensor second = Tensor.empty(decoder);
        second.predict(0, 1, 1, 0f, 0f, 0f, 0f, 3f, 0f);
        float[] batch = new float[2 * decoder.outputLength()];
        System.arraycopy(first.values(), 0, batch, 0, decoder.outputLength());
        System.arraycopy(second.values(), 0, batch, decoder.outputLength(), decoder.outputLength());
        Letterbox letterbox = Letterbox.resize(64, 64, 64, 64);

        assertThat(decoder.decode(batch, 0, letterbox, 0.5)).isEmpty();
        assertThat(decoder.decode(batch, decoder.outputLength(), letterbox, 0.5))
                .singleElement()
                .satisfies(detection -> assertBox(detection.box(), new BoundingBox(32, 32, 64, 64)));
        assertThatThrownBy(() -> decoder.decode(batch, decoder.outputLength() + 1, letterbox, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 anchors x (5 + 1) x 2 x 2");
    }

    @Test
    void detectSuppressesOverlapsWithinAClassOnly() {
        RegionDecoder decoder = new RegionDecoder(2, 1, new double[] {1, 1, 1.2, 1.2}, 2);
        Tensor tensor = Tensor.empty(decoder);
        // two anchors of one cell, nearly the same box (IoU 1 / 1.44 = 0.69), both class 0, objectness 0.95 and 0.88
        tensor.predict(0, 0, 0, 0f, 0f, 0f, 0f, 3f, 9f, 0f);
        tensor.predict(1, 0, 0, 0f, 0f, 0f, 0f, 2f, 9f, 0f);
        // the other cell: class 1 only
        tensor.predict(0, 0, 1, 0f, 0f, 0f, 0f, 1f, 0f, 9f);
        Letterbox letterbox = Letterbox.resize(64, 32, 64, 32);

        List<Detection> all = decoder.decode(tensor.values(), letterbox, 0.5);
        List<Detection> kept = decoder.detect(tensor.values(), letterbox, 0.5, NonMaxSuppression.withIouThreshold(0.45));

        assertThat(all).hasSize(3);
        assertThat(kept).extracting(Detection::classId).containsExactly(0, 1);
        assertThat(kept.get(0).score()).isCloseTo(sigmoid(3) / (1 + Math.exp(-9)), within(1e-6));
        assertThat(kept.get(0).score()).isGreaterThan(kept.get(1).score());
    }

    @Test
    void agreesWithTheFormulaAppliedToEveryCellAnchorAndClass() {
        double[] anchors = {1.08, 1.19, 3.42, 4.41, 6.63, 11.38};
        RegionDecoder decoder = new RegionDecoder(5, 4, anchors, 7);
        Random random = new Random(7);
        float[] output = new float[decoder.outputLength()];
        for (int index = 0; index < output.length; index++) {
            output[index] = (float) (random.nextGaussian() * 2);
        }
        Letterbox letterbox = Letterbox.letterbox(300, 500, 160, 128);

        List<Detection> detections = decoder.decode(output, letterbox, 0.05);

        List<Detection> expected = new ArrayList<>();
        int cells = 4 * 5;
        for (int anchor = 0; anchor < 3; anchor++) {
            for (int row = 0; row < 4; row++) {
                for (int col = 0; col < 5; col++) {
                    int base = anchor * 12 * cells + row * 5 + col;
                    double sum = 0;
                    for (int classId = 0; classId < 7; classId++) {
                        sum += Math.exp(output[base + (5 + classId) * cells]);
                    }
                    BoundingBox box = letterbox.toImage(BoundingBox.fromCenter(
                            (col + sigmoid(output[base])) / 5,
                            (row + sigmoid(output[base + cells])) / 4,
                            anchors[2 * anchor] * Math.exp(output[base + 2 * cells]) / 5,
                            anchors[2 * anchor + 1] * Math.exp(output[base + 3 * cells]) / 4));
                    for (int classId = 0; classId < 7; classId++) {
                        double score = sigmoid(output[base + 4 * cells]) * Math.exp(output[base + (5 + classId) * cells]) / sum;
                        if (score >= 0.05) {
                            expected.add(new Detection(classId, score, box));
                        }
                    }
                }
            }
        }
        assertThat(detections).hasSameSizeAs(expected).hasSizeGreaterThan(10);
        for (int index = 0; index < expected.size(); index++) {
            assertThat(detections.get(index).classId()).isEqualTo(expected.get(index).classId());
            assertThat(detections.get(index).score()).isCloseTo(expected.get(index).score(), within(1e-12));
            assertBox(detections.get(index).box(), expected.get(index).box());
        }
    }

    @Test
    void acceptsFloatAnchors() {
        RegionDecoder fromFloats = new RegionDecoder(13, 13, new float[] {1.08f, 1.19f}, 20);
        assertThat(fromFloats.anchorCount()).isEqualTo(1);
        assertThat(fromFloats.outputLength()).isEqualTo(25 * 13 * 13);
    }

    @Test
    void rejectsBadConfiguration() {
        assertThatThrownBy(() -> new RegionDecoder(13, 13, new double[] {1, 1, 2}, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pairs");
        assertThatThrownBy(() -> new RegionDecoder(13, 13, new double[] {1, 0}, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionDecoder(0, 13, new double[] {1, 1}, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RegionDecoder(13, 13, new double[] {1, 1}, 0)).isInstanceOf(IllegalArgumentException.class);
        RegionDecoder decoder = new RegionDecoder(1, 1, new double[] {1, 1}, 1);
        assertThatThrownBy(() -> decoder.decode(new float[6], Letterbox.resize(1, 1, 32, 32), 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threshold");
        assertThatThrownBy(() -> decoder.decode(new float[5], Letterbox.resize(1, 1, 32, 32), 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output of 5 floats");
    }

    @Test
    void anchorsAreCopied() {
        double[] anchors = {1, 1};
        RegionDecoder decoder = new RegionDecoder(1, 1, anchors, 1);
        anchors[0] = 100;
        float[] output = {0f, 0f, 0f, 0f, 5f, 0f};
        assertThat(decoder.decode(output, Letterbox.resize(32, 32, 32, 32), 0.5).get(0).box().width()).isCloseTo(32, within(TOLERANCE));
    }

    private static void assertBox(BoundingBox actual, BoundingBox expected) {
        assertThat(actual.xmin()).isCloseTo(expected.xmin(), within(TOLERANCE));
        assertThat(actual.ymin()).isCloseTo(expected.ymin(), within(TOLERANCE));
        assertThat(actual.xmax()).isCloseTo(expected.xmax(), within(TOLERANCE));
        assertThat(actual.ymax()).isCloseTo(expected.ymax(), within(TOLERANCE));
    }

    private static double sigmoid(double value) {
        return 1 / (1 + Math.exp(-value));
    }
}
