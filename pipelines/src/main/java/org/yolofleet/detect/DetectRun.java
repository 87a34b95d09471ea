package org.yolofleet.detect;

import org.yolofleet.core.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImagePreprocessor;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.image.NetworkInput;
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

    /** @param hadoop the Hadoop configuration for URI inputs and outputs */
    public DetectRun(Detector detector, DetectRequest request, Configuration hadoop) {
        this.detector = requireNonNull(detector, "detector");
        this.request = requireNonNull(request, "request");
        this.hadoop = requireNonNull(hadoop, "hadoop");
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
        ImagePreprocessor preprocessor = model.preprocessor();
        RegionDecoder decoder = model.decoder();
        ImageDecoder reader = new ImageDecoder(request.maxImagePixels());
        Map<String, Long> perClass = new LinkedHashMap<>();
        model.classNames().forEach(name -> perClass.put(name, 0L));
        List<String> failures = new ArrayList<>();
        Set<String> annotatedNames = new HashSet<>();
        long forwardNanos = 0;
        int annotated = 0;
        long lastProgress = start;
        try (Writer lines = output
                .map(directory -> (Writer) new OutputStreamWriter(directory.child(DETECTIONS_FILE).create(), StandardCharsets.UTF_8))
                .orElseGet(() -> new OutputStreamWriter(nonClosing(standardOutput), StandardCharsets.UTF_8))) {
            for (int index = 0; index < images.size(); index++) {
                Location image = images.get(index);
                try {
                    RgbImage pixels = reader.decode(image.readAllBytes()).image();
                    NetworkInput input = preprocessor.preprocess(pixels);
                    long forwardStart = System.nanoTime();
                    float[] raw = detector.rawOutput(input.pixels());
                    forwardNanos += System.nanoTime() - forwardStart;
                    List<Detection> decoded = decoder.detect(raw, input.letterbox(), request.thresholds().score(),
                            request.thresholds().suppression());
                    List<Detection> detections = Detection.clipAll(decoded, pixels.width(), pixels.height());
                    for (Detection detection : detections) {
                        String className = model.className(detection.classId());
                        perClass.merge(className, 1L, Long::sum);
                        lines.write(jsonLine(image.text(), className, detection));
                        lines.write('\n');
                    }
                    lines.flush();
                    if (output.isPresent()) {
                        String name = annotatedName(image.name(), annotatedNames);
                        output.get().child(name).write(encode(DetectionRenderer.render(pixels, detections, model.classNames()), name));
                        annotated++;
                    }
                }
                catch (YoloFleetException failure) {
                    failures.add(image.text() + ": " + failure.getMessage());
                    progress.println("detect: skipped " + image.text() + ": " + failure.getMessage());
                }
                long now = System.nanoTime();
                if (now - lastProgress >= PROGRESS_INTERVAL_NANOS && index + 1 < images.size()) {
                    lastProgress = now;
                    progress.println(progressLine(index + 1, images.size(), now - start));
                }
            }
        }
        catch (IOException | UncheckedIOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot write the detections: " + e.getMessage(), e);
        }
        return new DetectSummary(model.describe(), images.size(), failures, perClass, System.nanoTime() - start, forwardNanos,
                request.output(), annotated);
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
