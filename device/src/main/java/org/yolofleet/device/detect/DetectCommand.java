package org.yolofleet.device.detect;

import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.DetectionJsonLine;
import org.yolofleet.core.detect.pipeline.DetectOutcome;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.ErrorType;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.release.DecodeThresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code yolofleet-agent detect IMAGE...}: runs the installed release's ONNX model on images with ONNX Runtime (CPU), the
 * CPU profile's runtime and every profile's on-device check, and prints {@code yolofleet detect}'s JSON lines
 * ({@link DetectionJsonLine}). Decoding, NMS and preprocessing are the pipeline's ({@link ReleaseDetector}), run as a
 * {@link org.yolofleet.core.detect.pipeline.DetectPipeline} (the next images decode while the model runs). An image
 * that cannot be read or decoded is reported on standard error and skipped; the others still run, and the exit code
 * is then {@link ErrorType#BAD_DATA}'s. The summary line on standard error gives the warm time per image, measured
 * after one warm-up pass.
 *
 * <p>The agent registers it as a subcommand; {@link #DetectCommand(Supplier)} gives the release used without
 * {@code --release} (the install directory's {@code current}).
 */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Run the installed model on images with ONNX Runtime (CPU) and the release's",
                "decode spec. One JSON line per detection goes to standard output, as",
                "'yolofleet detect' writes them:",
                "  {\"image\":..,\"class\":..,\"class_id\":..,\"score\":..,\"box\":[xmin,ymin,xmax,ymax]}",
                "Boxes are in pixels of the upright image. Skipped images and the summary",
                "(warm ms/image, after one warm-up pass) go to standard error.",
                ""})
public final class DetectCommand implements Callable<Integer> {
    /** The largest image decoded by default: 16 megapixels, more than a Pi camera's 12. */
    public static final long DEFAULT_MAX_IMAGE_PIXELS = 16_000_000;

    @Option(names = "--release", paramLabel = "DIR",
            description = "an installed release directory (manifest.json and artifacts); default: the install directory's 'current'")
    Path release;

    @Option(names = "--artifact", paramLabel = "NAME",
            description = "the ONNX artifact to run; default: the release's onnx-fp32 (the cpu profile's), else its onnx-fp16")
    String artifact;

    @Option(names = "--threshold", paramLabel = "SCORE",
            description = "lowest score reported, objectness x class probability, in (0, 1] (default: the release's decode spec)")
    Double threshold;

    @Option(names = "--nms", paramLabel = "IOU",
            description = "per-class non-maximum suppression IoU threshold, in [0, 1] (default: the release's decode spec)")
    Double nms;

    @Option(names = "--threads", paramLabel = "N", description = "ONNX Runtime intra-op threads (default: the processors the JVM sees)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--decode-threads", paramLabel = "N",
            description = "threads that read, decode and letterbox the next images while the model runs (default: ${DEFAULT-VALUE})")
    int decodeThreads = 1;

    @Option(names = "--max-pixels", paramLabel = "PIXELS",
            description = "refuse images larger than this, undecoded (default: ${DEFAULT-VALUE})")
    long maxImagePixels = DEFAULT_MAX_IMAGE_PIXELS;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "image files (JPEG, PNG, BMP, GIF, TIFF)")
    List<Path> images = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private final Supplier<Path> installedRelease;

    /** A detect command that needs {@code --release}. */
    public DetectCommand() {
        this(() -> {
            throw new YoloFleetException(ErrorCode.CONFIG, "no release directory: give --release DIR (an installed release,"
                    + " such as the install directory's 'current')");
        });
    }

    /** @param installedRelease the release directory used without {@code --release}, asked for only then */
    public DetectCommand(Supplier<Path> installedRelease) {
        this.installedRelease = requireNonNull(installedRelease, "installedRelease");
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (decodeThreads < 1) {
            throw new YoloFleetException(ErrorCode.CONFIG, "--decode-threads " + decodeThreads + " is out of range: at least 1");
        }
        if (maxImagePixels < 1) {
            throw new YoloFleetException(ErrorCode.CONFIG, "--max-pixels " + maxImagePixels + " is out of range: at least 1");
        }
        Path directory = release != null ? release : installedRelease.get();
        InstalledModel installed = InstalledModel.open(directory, Optional.ofNullable(artifact));
        DecodeThresholds thresholds = thresholds(installed.manifest().decode().thresholds());
        ImageDecoder decoder = new ImageDecoder(maxImagePixels);
        List<String> failures = new ArrayList<>();
        long[] detections = {0};
        long elapsedNanos;
        long forwardNanos;
        try (ReleaseDetector detector = ReleaseDetector.open(installed, threads)) {
            detector.warmUp(thresholds);
            long start = System.nanoTime();
            detector.pipeline(thresholds, decodeThreads).run(images, image -> decoder.decode(read(image)).image(), outcome -> {
                String name = outcome.item().toString();
                if (outcome instanceof DetectOutcome.Detected<Path> detected) {
                    for (Detection detection : detected.detections()) {
                        out.println(DetectionJsonLine.of(name, detector.className(detection.classId()), detection));
                    }
                    detections[0] += detected.detections().size();
                    out.flush();
                }
                else if (outcome instanceof DetectOutcome.Skipped<Path> skipped) {
                    failures.add(name);
                    err.println("detect: skipped " + name + ": " + skipped.failure().getMessage());
                    err.flush();
                }
            });
            elapsedNanos = System.nanoTime() - start;
            forwardNanos = detector.forwardNanos();
        }
        err.println(summary(installed, failures.size(), detections[0], elapsedNanos, forwardNanos));
        err.flush();
        return failures.isEmpty() ? 0 : ErrorType.BAD_DATA.exitCode();
    }

    private String summary(InstalledModel installed, int failed, long detections, long elapsedNanos, long forwardNanos) {
        int done = images.size() - failed;
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "detect: %d images, %d detections, %d failed", images.size(),
                detections, failed));
        if (done > 0) {
            line.append(String.format(Locale.ROOT, ", %.1f ms/image warm (forward %.1f ms; after 1 warm-up pass, %d threads)",
                    elapsedNanos / 1e6 / done, forwardNanos / 1e6 / done, threads));
        }
        return line.append(", model ").append(installed.describe()).toString();
    }

    private DecodeThresholds thresholds(DecodeThresholds release) {
        double score = threshold == null ? release.score() : threshold;
        double iou = nms == null ? release.nmsIou() : nms;
        try {
            return new DecodeThresholds(score, iou);
        }
        catch (IllegalArgumentException e) {
            throw new YoloFleetException(ErrorCode.CONFIG, "--threshold " + score + " / --nms " + iou + ": " + e.getMessage());
        }
    }

    private static byte[] read(Path image) {
        try {
            return Files.readAllBytes(image);
        }
        catch (NoSuchFileException e) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "no such file " + image, e);
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot read " + image + ": " + e.getMessage(), e);
        }
    }
}
