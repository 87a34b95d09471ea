package org.yolofleet.core.detect.pipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;
import org.yolofleet.core.model.ResizeMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DetectPipeline} against the sequential loop it replaces (read, preprocess, forward, decode, clip, one image at a
 * time): the same outcomes in the same order with decoders finishing out of order, batched or not, with unreadable images
 * mid-stream; a failing stage or sink ends the run with that exception and leaves no thread of the run behind.
 */
class DetectPipelineTest {
    private static final int INPUT = 64;
    private static final int GRID = INPUT / 32;
    private static final int CLASSES = 3;
    private static final double SCORE = 0.2;
    private static final NonMaxSuppression NMS = NonMaxSuppression.withIouThreshold(0.45);
    private static final ImagePreprocessor PREPROCESSOR = new ImagePreprocessor(INPUT, INPUT, ResizeMode.LETTERBOX);
    private static final RegionDecoder DECODER = new RegionDecoder(GRID, GRID, new double[] {1.0, 1.5, 2.5, 1.0}, CLASSES);
    private static final Set<Integer> BAD = Set.of(17, 40, 41);
    private static final int FIRST_GOOD = 100;

    /**
     * Every thread of a run ends. A pool's worker can still be alive for a moment after the pool reports termination
     * (it has left its task loop but not yet returned), so the threads get a few seconds to finish returning.
     */
    @AfterEach
    void noThreadOfARunIsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!pipelineThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(pipelineThreads()).isEmpty();
    }

    @Test
    void givesTheSequentialOutcomesInOrderOneAtATime() {
        assertSameAsSequential(BatchForward.oneAtATime(DetectPipelineTest::network), new PipelineSettings(3, 4, false));
    }

    @Test
    void givesTheSequentialOutcomesInOrderInBatches() {
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        BatchForward batched = new BatchForward() {
            @Override
            public int maxBatch() {
                return 4;
            }

            @Override
            public float[][] forward(float[][] inputs) {
                batchSizes.add(inputs.length);
                return BatchForward.oneAtATime(DetectPipelineTest::network).forward(inputs);
            }
        };
        assertSameAsSequential(batched, PipelineSettings.of(2, 4, false));
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 4));
    }

    @Test
    void keepsTheDecodedImageOnlyWhenAsked() {
        List<DetectOutcome<Integer>> kept = run(items(6), BatchForward.oneAtATime(DetectPipelineTest::network), new PipelineSettings(2, 3, true));
        assertThat(kept).allSatisfy(outcome -> {
            DetectOutcome.Detected<Integer> detected = (DetectOutcome.Detected<Integer>) outcome;
            assertThat(detected.image()).hasValueSatisfying(image -> assertThat(image.pixels()).isEqualTo(image(detected.item()).pixels()));
        });
        List<DetectOutcome<Integer>> dropped = run(items(6), BatchForward.oneAtATime(DetectPipelineTest::network), new PipelineSettings(2, 3, false));
        assertThat(dropped).allSatisfy(outcome -> assertThat(((DetectOutcome.Detected<Integer>) outcome).image()).isEmpty());
    }

    @Test
    void aYoloFleetExceptionInTheForwardPassSkipsThatBatchAndGoesOn() {
        UnaryOperator<float[]> failingOnItsThirdCall = new UnaryOperator<>() {
            private final AtomicInteger calls = new AtomicInteger();

            @Override
            public float[] apply(float[] input) {
                if (calls.incrementAndGet() == 3) {
                    throw new YoloFleetException(ErrorCode.INTERNAL, "the runtime failed on this one");
                }
                return network(input);
            }
        };
        List<DetectOutcome<Integer>> outcomes = run(items(8), BatchForward.oneAtATime(failingOnItsThirdCall), new PipelineSettings(2, 3, false));

        assertThat(outcomes).extracting(DetectOutcome::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(DetectOutcome.Skipped.class,
                skipped -> assertThat(skipped.failure()).hasMessageContaining("the runtime failed on this one"));
        assertThat(outcomes).filteredOn(DetectOutcome.Detected.class::isInstance).hasSize(7);
    }

    @Test
    void decodersStayWithinTheWindowOfTheSink() {
        PipelineSettings settings = new PipelineSettings(3, 4, false);
        AtomicInteger handed = new AtomicInteger();
        AtomicInteger furthestAhead = new AtomicInteger();
        ImageReader<Integer> reader = item -> {
            furthestAhead.accumulateAndGet(item - FIRST_GOOD - handed.get(), Math::max);
            return image(item);
        };
        DetectPipeline pipeline = new DetectPipeline(PREPROCESSOR, DECODER, BatchForward.oneAtATime(DetectPipelineTest::network), SCORE, NMS,
                settings);
        List<Integer> good = IntStream.range(FIRST_GOOD, FIRST_GOOD + 60).boxed().toList();
        PipelineRun run = pipeline.run(good, reader, outcome -> {
            pause(outcome.index() % 3);
            handed.incrementAndGet();
        });

        assertThat(run.images()).isEqualTo(60);
        assertThat(run.skipped()).isZero();
        // the decode window, one batch taken by the network, the finished queue and the outcome in the sink
        assertThat(furthestAhead.get()).isLessThanOrEqualTo(2 * settings.window() + 1 + 1);
    }

    @Test
    void aFailingForwardPassEndsTheRunWithItsException() {
        AtomicInteger calls = new AtomicInteger();
        BatchForward failing = BatchForward.oneAtATime(input -> {
            if (calls.incrementAndGet() == 10) {
                throw new IllegalStateException("native crash stand-in");
            }
            return network(input);
        });
        List<Integer> sunk = Collections.synchronizedList(new ArrayList<>());
        DetectPipeline pipeline = new DetectPipeline(PREPROCESSOR, DECODER, failing, SCORE, NMS, new PipelineSettings(2, 4, false));

        assertThatThrownBy(() -> pipeline.run(items(100), DetectPipelineTest::slowImage, outcome -> sunk.add(outcome.index())))
                .isInstanceOf(IllegalStateException.class).hasMessage("native crash stand-in");
        assertThat(sunk).hasSizeLessThan(10).isEqualTo(IntStream.range(0, sunk.size()).boxed().toList());
    }

    @Test
    void aFailingReaderEndsTheRunWithItsException() {
        DetectPipeline pipeline = new DetectPipeline(PREPROCESSOR, DECODER, BatchForward.oneAtATime(DetectPipelineTest::network), SCORE, NMS,
                new PipelineSettings(3, 5, false));
        ImageReader<Integer> reader = item -> {
            if (item == 25) {
                throw new ArithmeticException("reader bug");
            }
            return slowImage(item);
        };

        assertThatThrownBy(() -> pipeline.run(items(100), reader, outcome -> { }))
                .isInstanceOf(ArithmeticException.class).hasMessage("reader bug");
    }

    @Test
    void aFailingSinkEndsTheRunWithItsException() {
        DetectPipeline pipeline = new DetectPipeline(PREPROCESSOR, DECODER, BatchForward.oneAtATime(DetectPipelineTest::network), SCORE, NMS,
                new PipelineSettings(2, 3, false));
        AtomicInteger forwardCalls = new AtomicInteger();
        BatchForward counting = BatchForward.oneAtATime(input -> {
            forwardCalls.incrementAndGet();
            return network(input);
        });
        DetectPipeline countingPipeline = new DetectPipeline(PREPROCESSOR, DECODER, counting, SCORE, NMS, pipeline.settings());

        assertThatThrownBy(() -> countingPipeline.run(items(200), DetectPipelineTest::image, outcome -> {
            if (outcome.index() == 5) {
                throw new UncheckedIOException(new IOException("disk full"));
            }
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("disk full");
        assertThat(forwardCalls.get()).isLessThan(200);
    }

    private static void assertSameAsSequential(BatchForward forward, PipelineSettings settings) {
        List<Integer> items = items(60);
        List<DetectOutcome<Integer>> outcomes = run(items, forward, settings);

        List<DetectOutcome<Integer>> sequential = sequential(items);
        assertThat(outcomes).hasSize(items.size());
        assertThat(outcomes).extracting(DetectOutcome::index).containsExactlyElementsOf(IntStream.range(0, items.size()).boxed().toList());
        assertThat(outcomes).usingRecursiveFieldByFieldElementComparator().containsExactlyElementsOf(sequential);
        assertThat(outcomes).filteredOn(DetectOutcome.Skipped.class::isInstance).extracting(DetectOutcome::item)
                .containsExactlyInAnyOrderElementsOf(BAD);
        assertThat(outcomes).filteredOn(DetectOutcome.Detected.class::isInstance)
                .anySatisfy(outcome -> assertThat(((DetectOutcome.Detected<Integer>) outcome).detections()).isNotEmpty());
    }

    private static List<DetectOutcome<Integer>> run(List<Integer> items, BatchForward forward, PipelineSettings settings) {
        List<DetectOutcome<Integer>> outcomes = new ArrayList<>();
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        PipelineRun run = new DetectPipeline(PREPROCESSOR, DECODER, forward, SCORE, NMS, settings).run(items, DetectPipelineTest::slowImage,
                outcome -> {
                    threads.add(Thread.currentThread().getName());
                    outcomes.add(outcome);
                });
        assertThat(run.images()).isEqualTo(items.size());
        assertThat(run.skipped()).isEqualTo((int) outcomes.stream().filter(DetectOutcome.Skipped.class::isInstance).count());
        assertThat(Set.copyOf(threads)).hasSize(1);
        return outcomes;
    }

    /** The loop the pipeline replaces. */
    private static List<DetectOutcome<Integer>> sequential(List<Integer> items) {
        List<DetectOutcome<Integer>> outcomes = new ArrayList<>();
        for (int index = 0; index < items.size(); index++) {
            int item = items.get(index);
            try {
                RgbImage image = image(item);
                NetworkInput input = PREPROCESSOR.preprocess(image);
                List<Detection> detections = DECODER.detect(network(input.pixels()), input.letterbox(), SCORE, NMS);
                outcomes.add(new DetectOutcome.Detected<>(index, item, image.width(), image.height(),
                        Detection.clipAll(detections, image.width(), image.height()), java.util.Optional.empty()));
            }
            catch (YoloFleetException e) {
                outcomes.add(new DetectOutcome.Skipped<>(index, item, e));
            }
        }
        return outcomes;
    }

    private static List<Integer> items(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    /** A different image per item, of a different size; the bad items cannot be read. */
    private static RgbImage image(int item) {
        if (BAD.contains(item)) {
            throw new YoloFleetException(ErrorCode.CORRUPT_IMAGE, "image " + item + " is corrupt");
        }
        Random random = new Random(item);
        int width = 40 + random.nextInt(80);
        int height = 40 + random.nextInt(80);
        byte[] pixels = new byte[3 * width * height];
        random.nextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    /** {@link #image}, finishing after a pause that differs by item, so decoders finish out of order. */
    private static RgbImage slowImage(int item) {
        pause((item * 7) % 4);
        return image(item);
    }

    /** A deterministic stand-in network: every output depends on the whole input. */
    private static float[] network(float[] input) {
        double sum = 0;
        for (int index = 0; index < input.length; index += 7) {
            sum += input[index] * (1 + index % 5);
        }
        float[] output = new float[DECODER.outputLength()];
        for (int index = 0; index < output.length; index++) {
            output[index] = (float) (3 * Math.sin(sum * 0.013 + index * 1.7));
        }
        return output;
    }

    private static void pause(int millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> pipelineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("detect-"))
                .toList();
    }
}
