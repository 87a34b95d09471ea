package org.yolofleet.detect;

import org.yolofleet.core.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.detect.pipeline.DetectOutcome;
import org.yolofleet.core.detect.pipeline.DetectPipeline;
import org.yolofleet.core.detect.pipeline.PipelineRun;
import org.yolofleet.core.detect.pipeline.PipelineSettings;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * {@code yolofleet detect}: runs a {@link Detector} over images and writes what it finds.
 *
 * <p>Inputs are image files, directories (their files with an image extension, sorted by name, not recursively) and
 * Hadoop URIs of either; every input is checked before the first image runs. Each detection becomes one JSON line,
 * <pre>{@code {"image":"photos/a.jpg","class":"dog","class_id":11,"score":0.8731,"box":[12.5,40.0,210.25,300.0]}}</pre>
 * with the box {@code [xmin, ymin, xmax, ymax]} in pixels of the upright original image, clipped to it (2 decimals;
 * score 4 decimals), by descending score within an image; a detection whose box clips to nothing (zero width or
 * height, {@link Detection#clippedTo}) is dropped: not written, drawn or counted. The lines go to standard output, or
 * with an output directory to its {@value #DETECTIONS_FILE}, next to a copy of each image with the boxes and labels
 * drawn (JPEG for JPEG inputs, PNG otherwise; {@code -2}, {@code -3} ... added when two inputs share a name). An
 * image that cannot be read or decoded is reported and skipped; the summary counts it. Progress (images done, rate,
 * ETA) goes to the progress stream every few seconds.
 *
 * <p>Images go through a {@link DetectPipeline}: reading, decoding and letterboxing on their own threads, the network on
 * the calling thread (DL4J in batches), JSON lines and drawing on an output thread, in input order.
 */
public final class DetectRun {
    /** The JSON-lines file in the output directory. */
    public static final String DETECTIONS_FILE = "detections.jsonl";
    /** The file extensions a directory's images are recognised by (case-insensitive). */
    public static final List<String> IMAGE_EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "tif", "tiff");

    private static final int ANNOTATED_JPEG_QUALITY = 92;
    private static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;

    private final Detector detector;
    private final DetectRequest request;
    private final Configuration hadoop;
    private final int decodeThreads;

    /**
     * Decodes on {@link #defaultDecodeThreads()} threads.
     *
     * @param hadoop the Hadoop configuration for URI inputs and outputs
     */
    public DetectRun(Detector detector, DetectRequest request, Configuration hadoop) {
        this(detector, request, hadoop, defaultDecodeThreads());
    }

    /** @param decodeThreads threads that read, decode and letterbox images while the network runs, at least 1 */
    public DetectRun(Detector detector, DetectRequest request, Configuration hadoop, int decodeThreads) {
        this.detector = requireNonNull(detector, "detector");
        this.request = requireNonNull(request, "request");
        this.hadoop = requireNonNull(hadoop, "hadoop");
        if (decodeThreads < 1) {
            throw new IllegalArgumentException("decode threads must be at least 1, got " + decodeThreads);
        }
        this.decodeThreads = decodeThreads;
    }

    /** One decode thread per two processors the JVM sees, at least one: the rest are the runtime's. */
    public static int defaultDecodeThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /**
     * Runs; JSON lines go to {@code standardOutput} unless the request has an output directory.
     *
     * @param progress where progress lines go (standard error on the command line)
     */
    public DetectSummary run(PrintStream standardOutput, PrintStream progress) {
        requireNonNull(standardOutput, "standardOutput");
        requireNonNull(progress, "progress");
        long start = System.nanoTime();
        List<Location> images = resolveInputs();
        Optional<Location> output = request.output().map(text -> new Location(text, hadoop));
        DetectorModel model = detector.model();
        ImageDecoder reader = new ImageDecoder(request.maxImagePixels());
        Map<String, Long> perClass = new LinkedHashMap<>();
        model.classNames().forEach(name -> perClass.put(name, 0L));
        List<String> failures = new ArrayList<>();
        Set<String> annotatedNames = new HashSet<>();
        int[] annotated = {0};
        long[] lastProgress = {start};
        DetectPipeline pipeline = new DetectPipeline(model.preprocessor(), model.decoder(), detector.batchForward(),
                request.thresholds().score(), request.thresholds().suppression(),
                PipelineSettings.of(decodeThreads, detector.maxBatch(), output.isPresent()));
        PipelineRun run;
        try (Writer lines = output
                .map(directory -> (Writer) new OutputStreamWriter(directory.child(DETECTIONS_FILE).create(), StandardCharsets.UTF_8))
                .orElseGet(() -> new OutputStreamWriter(nonClosing(standardOutput), StandardCharsets.UTF_8))) {
            run = pipeline.run(images, image -> reader.decode(image.readAllBytes()).image(), outcome -> {
                Location image = outcome.item();
                if (outcome instanceof DetectOutcome.Detected<Location> detected) {
                    try {
                        write(lines, image, detected.detections(), model, perClass);
                        if (output.isPresent()) {
                            RgbImage pixels = detected.image().orElseThrow();
                            String name = annotatedName(image.name(), annotatedNames);
                            output.get().child(name).write(encode(DetectionRenderer.render(pixels, detected.detections(), model.classNames()), name));
                            annotated[0]++;
                        }
                    }
                    catch (YoloFleetException failure) {
                        skip(image, failure, failures, progress);
                    }
                }
                else if (outcome instanceof DetectOutcome.Skipped<Location> skipped) {
                    skip(image, skipped.failure(), failures, progress);
                }
                long now = System.nanoTime();
                if (now - lastProgress[0] >= PROGRESS_INTERVAL_NANOS && outcome.index() + 1 < images.size()) {
                    lastProgress[0] = now;
                    progress.println(progressLine(outcome.index() + 1, images.size(), now - start));
                }
            });
        }
        catch (IOException | UncheckedIOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the detections: " + e.getMessage(), e);
        }
        return new DetectSummary(model.describe(), images.size(), failures, perClass, System.nanoTime() - start, run.forwardNanos(),
                request.output(), annotated[0]);
    }

    private static void skip(Location image, YoloFleetException failure, List<String> failures, PrintStream progress) {
        failures.add(image.text() + ": " + failure.getMessage());
        progress.println("detect: skipped " + image.text() + ": " + failure.getMessage());
    }

    private static void write(Writer lines, Location image, List<Detection> detections, DetectorModel model, Map<String, Long> perClass) {
        try {
            for (Detection detection : detections) {
                String className = model.className(detection.classId());
                perClass.merge(className, 1L, Long::sum);
                lines.write(jsonLine(image.text(), className, detection));
                lines.write('\n');
            }
            lines.flush();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every input as image files; {@link ErrorCode#NOT_FOUND} for a missing input, {@link ErrorCode#CONFIG} when none holds an image. */
    List<Location> resolveInputs() {
        List<Location> images = new ArrayList<>();
        for (String input : request.inputs()) {
            Location location = new Location(input, hadoop);
            if (!location.exists()) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "input not found: " + input);
            }
            if (!location.isDirectory()) {
                images.add(location);
                continue;
            }
            location.fileNames().stream().filter(DetectRun::hasImageExtension).map(location::child).forEach(images::add);
        }
        if (images.isEmpty()) {
            throw new YoloFleetException(ErrorCode.CONFIG, "no images in " + String.join(", ", request.inputs())
                    + " (a directory's images need one of the extensions " + String.join(", ", IMAGE_EXTENSIONS) + ")");
        }
        return List.copyOf(images);
    }

    static boolean hasImageExtension(String fileName) {
        return IMAGE_EXTENSIONS.contains(extension(fileName));
    }

    /** The JSON line of a detection already clipped to its image ({@link Detection#clippedTo}): {@link DetectionJsonLine}. */
    static String jsonLine(String image, String className, Detection detection) {
        return DetectionJsonLine.of(image, className, detection);
    }

    /** The input's file name for a JPEG, its stem plus {@code .png} otherwise; {@code -2}, {@code -3} ... on a clash. */
    static String annotatedName(String inputName, Set<String> taken) {
        String extension = extension(inputName);
        boolean jpeg = extension.equals("jpg") || extension.equals("jpeg");
        int dot = inputName.lastIndexOf('.');
        String stem = dot > 0 ? inputName.substring(0, dot) : inputName;
        String suffix = jpeg ? inputName.substring(dot) : ".png";
        String name = stem + suffix;
        for (int copy = 2; !taken.add(name); copy++) {
            name = stem + "-" + copy + suffix;
        }
        return name;
    }

    private static byte[] encode(BufferedImage image, String name) {
        String extension = extension(name);
        if (extension.equals("jpg") || extension.equals("jpeg")) {
            return JpegCodec.encode(RgbImage.of(image), ANNOTATED_JPEG_QUALITY);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.INTERNAL, "cannot encode a PNG in memory: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String progressLine(int done, int total, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = done / seconds;
        return String.format(Locale.ROOT, "detect: %d/%d images (%.0f%%), %.1f images/s, ETA %.0f s",
                done, total, 100.0 * done / total, rate, (total - done) / rate);
    }

    private static OutputStream nonClosing(PrintStream stream) {
        return new OutputStream() {
            @Override
            public void write(int value) {
                stream.write(value);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                stream.write(bytes, offset, length);
            }

            @Override
            public void flush() {
                stream.flush();
            }
        };
    }
}
