package org.yolofleet.core.detect.pipeline;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.NetworkInput;
import org.yolofleet.core.image.RgbImage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Detection over many images with the three kinds of work overlapped: reading, decoding and letterboxing on
 * {@link PipelineSettings#decodeThreads()} threads, the forward pass on the calling thread (batched up to
 * {@link BatchForward#maxBatch()} when decoded images are waiting), and region decoding, NMS, clipping and the caller's
 * sink on one output thread, so writing and drawing run while the network works on the next images. Shared by
 * {@code yolofleet detect} and the Pi agent's {@code detect}: one image→tensor path ({@link ImagePreprocessor}) and one
 * region decoder, as the sequential loops used.
 *
 * <p>Outcomes reach the sink in input order, one at a time on the output thread, exactly as a sequential loop would
 * give them. Queues are bounded by {@link PipelineSettings#window()}: decoders run at most that many images ahead of
 * the network, and finished outputs wait for the sink in a queue as long. A {@link YoloFleetException} while reading,
 * decoding or preprocessing an image, in the forward pass (every image of that batch) or in region decoding skips the
 * image ({@link DetectOutcome.Skipped}); the run goes on. Any other exception, in any stage or in the sink, ends the
 * run: pending decodes are cancelled, the output thread stops, every thread the run started has ended (or is left as a
 * daemon after {@value #SHUTDOWN_SECONDS} s in a read that does not return) and {@link #run} rethrows it.
 */
public final class DetectPipeline {
    private static final long SHUTDOWN_SECONDS = 30;
    private static final long POLL_MILLIS = 20;
    private static final Object END = new Object();
    private static final AtomicInteger RUNS = new AtomicInteger();

    private final ImagePreprocessor preprocessor;
    private final RegionDecoder decoder;
    private final BatchForward forward;
    private final double scoreThreshold;
    private final NonMaxSuppression suppression;
    private final PipelineSettings settings;

    /**
     * @param scoreThreshold lowest score kept, as {@link RegionDecoder#detect} takes it
     * @param suppression the NMS applied to each image's detections
     */
    public DetectPipeline(ImagePreprocessor preprocessor, RegionDecoder decoder, BatchForward forward, double scoreThreshold,
            NonMaxSuppression suppression, PipelineSettings settings) {
        this.preprocessor = requireNonNull(preprocessor, "preprocessor");
        this.decoder = requireNonNull(decoder, "decoder");
        this.forward = requireNonNull(forward, "forward");
        this.suppression = requireNonNull(suppression, "suppression");
        this.settings = requireNonNull(settings, "settings");
        if (forward.maxBatch() < 1) {
            throw new IllegalArgumentException("the forward pass's batch must be at least 1, got " + forward.maxBatch());
        }
        this.scoreThreshold = scoreThreshold;
    }

    public PipelineSettings settings() {
        return settings;
    }

    /**
     * Runs every item through the network and hands each outcome to {@code sink}, in the items' order, on the output
     * thread. Returns when the sink has had the last one.
     */
    public <T> PipelineRun run(List<T> items, ImageReader<T> reader, Consumer<? super DetectOutcome<T>> sink) {
        List<T> inputs = List.copyOf(requireNonNull(items, "items"));
        requireNonNull(reader, "reader");
        requireNonNull(sink, "sink");
        long start = System.nanoTime();
        int run = RUNS.incrementAndGet();
        OutputStage<T> output = new OutputStage<>(new ArrayBlockingQueue<>(settings.window()), sink);
        Thread outputThread = new Thread(output, "detect-" + run + "-output");
        outputThread.setDaemon(true);
        ExecutorService decoders = Executors.newFixedThreadPool(settings.decodeThreads(), daemonThreads("detect-" + run + "-decode-"));
        ArrayDeque<Future<Prepared<T>>> window = new ArrayDeque<>();
        long forwardNanos = 0;
        int batches = 0;
        Throwable failure = null;
        outputThread.start();
        try {
            int next = 0;
            while (next < inputs.size() || !window.isEmpty()) {
                next = fill(window, decoders, inputs, next, reader);
                List<Prepared<T>> batch = takeBatch(window);
                next = fill(window, decoders, inputs, next, reader);
                long forwardStart = System.nanoTime();
                List<float[]> outputs = forward(batch);
                forwardNanos += System.nanoTime() - forwardStart;
                batches += outputs.isEmpty() ? 0 : 1;
                for (int index = 0; index < batch.size(); index++) {
                    output.hand(new Finished<>(batch.get(index), outputs.get(index)));
                }
            }
            output.hand(END);
        }
        catch (Throwable e) {
            failure = e;
        }
        finally {
            window.forEach(pending -> pending.cancel(true));
            decoders.shutdownNow();
            if (failure != null) {
                output.abort();
            }
            failure = awaitEnd(outputThread, decoders, failure);
        }
        Throwable outputFailure = output.failure;
        if (failure instanceof OutputStopped) {
            failure = outputFailure;
        }
        else if (failure != null && outputFailure != null) {
            failure.addSuppressed(outputFailure);
        }
        else if (failure == null) {
            failure = outputFailure;
        }
        if (failure != null) {
            throw rethrown(failure);
        }
        return new PipelineRun(output.handed, output.skipped, batches, System.nanoTime() - start, forwardNanos);
    }

    private <T> int fill(ArrayDeque<Future<Prepared<T>>> window, ExecutorService decoders, List<T> inputs, int next, ImageReader<T> reader) {
        int index = next;
        while (window.size() < settings.window() && index < inputs.size()) {
            int position = index;
            T item = inputs.get(position);
            window.addLast(decoders.submit(() -> prepare(position, item, reader)));
            index++;
        }
        return index;
    }

    /** The window's first image, then those already decoded behind it, up to a batch of network inputs. */
    private <T> List<Prepared<T>> takeBatch(ArrayDeque<Future<Prepared<T>>> window) throws InterruptedException {
        List<Prepared<T>> batch = new ArrayList<>();
        int inputs = 0;
        do {
            Prepared<T> prepared = result(window.removeFirst());
            batch.add(prepared);
            inputs += prepared.input != null ? 1 : 0;
        }
        while (inputs < forward.maxBatch() && !window.isEmpty() && window.peekFirst().isDone());
        return batch;
    }

    /** One raw output per prepared image, {@code null} for those skipped (before or, batch-wide, in the forward pass). */
    private <T> List<float[]> forward(List<Prepared<T>> batch) {
        List<float[]> inputs = new ArrayList<>();
        batch.stream().filter(prepared -> prepared.input != null).forEach(prepared -> inputs.add(prepared.input.pixels()));
        List<float[]> outputs = new ArrayList<>(batch.size());
        if (inputs.isEmpty()) {
            batch.forEach(prepared -> outputs.add(null));
            return outputs;
        }
        float[][] raw;
        try {
            raw = forward.forward(inputs.toArray(float[][]::new));
        }
        catch (YoloFleetException e) {
            for (int index = 0; index < batch.size(); index++) {
                Prepared<T> prepared = batch.get(index);
                batch.set(index, prepared.input == null ? prepared : prepared.failed(e));
                outputs.add(null);
            }
            return outputs;
        }
        if (raw.length != inputs.size()) {
            throw new IllegalStateException("the forward pass returned " + raw.length + " outputs for " + inputs.size() + " inputs");
        }
        int next = 0;
        for (Prepared<T> prepared : batch) {
            outputs.add(prepared.input == null ? null : raw[next++]);
        }
        return outputs;
    }

    private <T> Prepared<T> prepare(int index, T item, ImageReader<T> reader) {
        try {
            RgbImage image = requireNonNull(reader.read(item), "the image reader returned null");
            NetworkInput input = preprocessor.preprocess(image);
            return new Prepared<>(index, item, settings.keepImages() ? image : null, image.width(), image.height(), input, null);
        }
        catch (YoloFleetException e) {
            return new Prepared<>(index, item, null, 0, 0, null, e);
        }
    }

    private <T> DetectOutcome<T> outcomeOf(Finished<T> finished) {
        Prepared<T> prepared = finished.prepared;
        if (prepared.failure != null) {
            return new DetectOutcome.Skipped<>(prepared.index, prepared.item, prepared.failure);
        }
        try {
            List<Detection> decoded = decoder.detect(finished.output, prepared.input.letterbox(), scoreThreshold, suppression);
            return new DetectOutcome.Detected<>(prepared.index, prepared.item, prepared.width, prepared.height,
                    Detection.clipAll(decoded, prepared.width, prepared.height), Optional.ofNullable(prepared.image));
        }
        catch (YoloFleetException e) {
            return new DetectOutcome.Skipped<>(prepared.index, prepared.item, e);
        }
    }

    private static <T> T result(Future<T> future) throws InterruptedException {
        try {
            return future.get();
        }
        catch (ExecutionException e) {
            throw new StageFailed(e.getCause());
        }
    }

    private static Throwable awaitEnd(Thread outputThread, ExecutorService decoders, Throwable failure) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_SECONDS);
            if (failure == null) {
                outputThread.join(); // the sink has the last outcomes still to take
            }
            else {
                outputThread.join(TimeUnit.SECONDS.toMillis(SHUTDOWN_SECONDS));
            }
            decoders.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }

    private static RuntimeException rethrown(Throwable failure) {
        Throwable cause = failure instanceof StageFailed stage ? stage.getCause() : failure;
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new YoloFleetException(ErrorCode.INTERNAL, "detect was interrupted", cause);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new YoloFleetException(ErrorCode.INTERNAL, "detect failed: " + cause, cause);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One image after the decode stage: its network input, or why it has none. */
    private static final class Prepared<T> {
        final int index;
        final T item;
        final RgbImage image;
        final int width;
        final int height;
        final NetworkInput input;
        final YoloFleetException failure;

        Prepared(int index, T item, RgbImage image, int width, int height, NetworkInput input, YoloFleetException failure) {
            this.index = index;
            this.item = item;
            this.image = image;
            this.width = width;
            this.height = height;
            this.input = input;
            this.failure = failure;
        }

        Prepared<T> failed(YoloFleetException reason) {
            return new Prepared<>(index, item, null, width, height, null, reason);
        }
    }

    private record Finished<T>(Prepared<T> prepared, float[] output) {}

    /** A decode task's exception, to be rethrown as itself. */
    private static final class StageFailed extends RuntimeException {
        StageFailed(Throwable cause) {
            super(cause);
        }
    }

    /** The output thread ended on a failure of its own; {@link OutputStage#failure} says which. */
    private static final class OutputStopped extends RuntimeException {
        OutputStopped() {
            super("the output stage stopped", null, false, false);
        }
    }

    /** The output thread: decodes region outputs and feeds the sink, in order. */
    private final class OutputStage<T> implements Runnable {
        private final BlockingQueue<Object> queue;
        private final Consumer<? super DetectOutcome<T>> sink;
        private volatile boolean aborted;
        private volatile Throwable failure;
        private volatile boolean ended;
        private int handed;
        private int skipped;

        OutputStage(BlockingQueue<Object> queue, Consumer<? super DetectOutcome<T>> sink) {
            this.queue = queue;
            this.sink = sink;
        }

        /** Queues an element for the output thread; {@link OutputStopped} once that thread has ended on a failure. */
        void hand(Object element) throws InterruptedException {
            do {
                if (ended) {
                    throw new OutputStopped();
                }
            }
            while (!queue.offer(element, POLL_MILLIS, TimeUnit.MILLISECONDS));
        }

        void abort() {
            aborted = true;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void run() {
            try {
                while (!aborted) {
                    Object element = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (element == END) {
                        return;
                    }
                    if (element != null && !aborted) {
                        DetectOutcome<T> outcome = outcomeOf((Finished<T>) element);
                        sink.accept(outcome);
                        handed++;
                        skipped += outcome instanceof DetectOutcome.Skipped ? 1 : 0;
                    }
                }
            }
            catch (Throwable e) {
                failure = e;
            }
            finally {
                ended = true;
            }
        }
    }
}
