package org.yolofleet.ml;

import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.onnx.OnnxExporter;
import org.yolofleet.core.release.ReleaseRejectedException;
import org.yolofleet.core.release.Sha256;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.Location;
import org.yolofleet.detect.ModelFormat;
import org.yolofleet.detect.ModelLoader;
import org.yolofleet.detect.ModelSource;
import org.yolofleet.detect.OnnxRuntimeDetector;
import org.yolofleet.model.DarknetWeightsExporter;
import org.yolofleet.model.ModelCheckpoint;
import org.yolofleet.publish.ModelExports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The detectors of one JVM (an executor, or the driver in local mode), loaded once per model URI and runtime and shared
 * by every task: ONNX Runtime sessions are thread-safe, and DL4J detectors serialise their forward passes. A model
 * outside the local disk ({@code s3a://}, {@code hdfs://}) is copied through Hadoop's file system to a local temporary
 * file first, once. The detectors live as long as the JVM.
 */
public final class ExecutorModels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<Key, Detector> DETECTORS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    /**
     * What makes two detectors the same: thresholds and batch size are applied per call, not part of the model; a verified
     * model's SHA-256 is (empty for an unverified one), so a release file replaced after a new verification loads anew.
     */
    record Key(String modelUri, DetectorRuntime runtime, String sha256) {
        Key {
            requireNonNull(modelUri, "modelUri");
            requireNonNull(runtime, "runtime");
            requireNonNull(sha256, "sha256");
        }
    }

    private ExecutorModels() {}

    /** The detector of {@code modelUri} in {@code runtime}, loaded on first use. */
    public static Detector detector(String modelUri, DetectorRuntime runtime, Configuration hadoop) {
        return detector(modelUri, Optional.empty(), runtime, hadoop);
    }

    /**
     * The detector of {@code modelUri} in {@code runtime}, loaded on first use; with {@code sha256} (a verified release's
     * artifact, {@link ModelVerification}) the bytes loaded must have that SHA-256, checked on the very bytes the runtime
     * opens ({@link ErrorCode#RELEASE_TAMPERED} otherwise: the file changed after its verification).
     */
    public static Detector detector(String modelUri, Optional<String> sha256, DetectorRuntime runtime, Configuration hadoop) {
        requireNonNull(hadoop, "hadoop");
        return DETECTORS.computeIfAbsent(new Key(modelUri, runtime, sha256.orElse("")), key -> load(key, hadoop));
    }

    /** How many times this JVM has loaded a model (successfully or not). */
    static int loads() {
        return LOADS.get();
    }

    private static Detector load(Key key, Configuration hadoop) {
        LOADS.incrementAndGet();
        long start = System.nanoTime();
        Detector detector = key.sha256().isEmpty() ? loadUnverified(key, hadoop) : loadVerified(key, hadoop);
        LOG.info("YoloDetector loaded {} in {} ms: {}", key.modelUri(), (System.nanoTime() - start) / 1_000_000, detector.model().describe());
        return detector;
    }

    /** A verified release's ONNX artifact, from the bytes whose SHA-256 was checked. */
    private static Detector loadVerified(Key key, Configuration hadoop) {
        Location location = new Location(key.modelUri(), hadoop);
        if (key.runtime() != DetectorRuntime.ONNX_RUNTIME || ModelFormat.of(Path.of(location.name())) != ModelFormat.ONNX) {
            throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector runs a release's ONNX export in runtime "
                    + DetectorRuntime.ONNX_RUNTIME.key() + "; " + key.modelUri() + " in runtime " + key.runtime().key() + " is not that");
        }
        byte[] model = location.readAllBytes();
        String actual = Sha256.of(model).hex();
        if (!actual.equals(key.sha256())) {
            throw new ReleaseRejectedException(ReleaseRejectedException.Reason.ARTIFACT_HASH, key.modelUri() + " has SHA-256 " + actual
                    + " on this executor, the verified release lists " + key.sha256() + ": it changed after its verification");
        }
        return OnnxRuntimeDetector.open(model, key.modelUri(), Optional.empty(), Runtime.getRuntime().availableProcessors());
    }

    private static Detector loadUnverified(Key key, Configuration hadoop) {
        Path file = localModelFile(key.modelUri(), hadoop);
        return switch (key.runtime()) {
            case ONNX_RUNTIME -> ModelFormat.of(file) == ModelFormat.DL4J_CHECKPOINT ? checkpointInOnnxRuntime(file) : ModelLoader.load(ModelSource.of(file));
            case DL4J -> {
                if (ModelFormat.of(file) != ModelFormat.DL4J_CHECKPOINT) {
                    throw new YoloFleetException(ErrorCode.CONFIG, "YoloDetector runtime dl4j runs DL4J checkpoints (*.zip); "
                            + key.modelUri() + " is not one: use runtime " + DetectorRuntime.ONNX_RUNTIME.key());
                }
                yield ModelLoader.load(ModelSource.of(file));
            }
        };
    }

    /**
     * The model file on this machine: the file itself when local; a release or export directory's {@value
     * ModelExports#ONNX_FP32}; anything else copied into a temporary directory under its own name (which messages show).
     */
    static Path localModelFile(String modelUri, Configuration hadoop) {
        Location location = new Location(modelUri, hadoop);
        if (!location.exists()) {
            throw new YoloFleetException(ErrorCode.NOT_FOUND, "YoloDetector modelUri " + modelUri + " does not exist");
        }
        if (location.isDirectory()) {
            Location onnx = location.child(ModelExports.ONNX_FP32);
            if (!onnx.exists()) {
                throw new YoloFleetException(ErrorCode.NOT_FOUND, "YoloDetector modelUri " + modelUri + " is a directory without "
                        + ModelExports.ONNX_FP32 + ": name an ONNX export, a DL4J checkpoint (*.zip) or a release directory");
            }
            location = onnx;
        }
        ModelFormat.of(Path.of(location.name()));
        if (location.isLocal()) {
            return location.localPath();
        }
        try {
            Path copy = Files.createTempDirectory("yolofleet-model-").resolve(location.name());
            Files.write(copy, location.readAllBytes());
            copy.toFile().deleteOnExit();
            copy.getParent().toFile().deleteOnExit();
            return copy;
        }
        catch (IOException e) {
            throw new YoloFleetException(ErrorCode.IO, "cannot copy the model " + location.text() + " to a local file: " + e.getMessage(), e);
        }
    }

    /** A checkpoint exported to ONNX in memory, as the publish stage exports it, and opened in ONNX Runtime. */
    private static Detector checkpointInOnnxRuntime(Path checkpoint) {
        ModelCheckpoint.Contents contents = ModelCheckpoint.read(checkpoint);
        try {
            byte[] onnx = OnnxExporter.withDefaults().export(contents.spec(),
                    DarknetWeightsExporter.export(contents.network(), contents.spec(), 0).layers(), contents.classNames(),
                    checkpoint.getFileName().toString());
            return OnnxRuntimeDetector.open(onnx, checkpoint.getFileName() + " (exported to ONNX)", Optional.empty(),
                    Runtime.getRuntime().availableProcessors());
        }
        finally {
            contents.network().close();
        }
    }
}
