package org.yolofleet.publish;

import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.detect.Detector;
import org.yolofleet.detect.Dl4jDetector;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The faithfulness gate: nothing is published that is not proven to compute what was trained. On the first
 * {@code images} val images, the checkpoint in DL4J against each FP32 export in the runtime that reads it (ONNX in ONNX
 * Runtime, the frozen graph in TensorFlow, the Darknet weights imported back into DL4J): raw region tensors within the
 * tolerance and the same detections ({@link RuntimeParity}). On the whole val split, the FP16 export's mAP@0.5 against
 * the FP32 export's, both in ONNX Runtime, at most {@code fp16MaxMapDrop} lower. Any failure is
 * {@link ErrorCode#EXPORT_MISMATCH} naming the format; nothing is written to the store before this passes.
 */
public final class Faithfulness {
    private final PublishConfig.Faithfulness settings;
    private final RuntimeParity parity;
    private final ModelScoring scoring;
    private final int threads;

    public Faithfulness(PublishConfig config, int threads) {
        this(config, threads, new ModelScoring(config.scoring()));
    }

    /** The gate scoring the whole val split with {@code scoring} (its mAP on the driver or the executors). */
    public Faithfulness(PublishConfig config, int threads, ModelScoring scoring) {
        requireNonNull(config, "config");
        this.settings = config.faithfulness();
        this.parity = new RuntimeParity(settings.tolerance(), config.scoring());
        this.scoring = requireNonNull(scoring, "scoring");
        this.threads = threads;
    }

    /**
     * What the gate measured.
     *
     * @param parity   one result per FP32 export
     * @param fp32     the FP32 ONNX export's evaluation on the whole val split (the release's metrics)
     * @param fp16     the FP16 ONNX export's
     */
    public record Report(List<ParityResult> parity, Evaluation fp32, Evaluation fp16) {
        public Report {
            parity = List.copyOf(parity);
            requireNonNull(fp32, "fp32");
            requireNonNull(fp16, "fp16");
        }

        public double fp32Map() {
            return fp32.areaMeanAveragePrecision().orElse(0);
        }

        public double fp16Map() {
            return fp16.areaMeanAveragePrecision().orElse(0);
        }
    }

    public Report check(ReleaseCandidate candidate, ModelExports exports) {
        List<ValImage> images = candidate.valSplit().first(settings.images());
        List<ParityResult> results = new ArrayList<>();
        try (Dl4jDetector checkpoint = new Dl4jDetector(candidate.model().network(), candidate.model().spec(), candidate.model().classNames(),
                candidate.checkpointUri())) {
            results.add(compare(checkpoint, ModelExports.ONNX_FP32, () -> exports.onnxFp32(threads), images));
            results.add(compare(checkpoint, ModelExports.TF_GRAPH, exports::tensorFlow, images));
            results.add(compare(checkpoint, ModelExports.DARKNET_WEIGHTS, exports::darknetReimported, images));
        }
        Evaluation fp32;
        Evaluation fp16;
        try (Detector onnx = exports.onnxFp32(threads); Detector half = exports.onnxFp16(threads)) {
            fp32 = scoring.evaluate(onnx, candidate.valSplit());
            fp16 = scoring.evaluate(half, candidate.valSplit());
        }
        Report report = new Report(results, fp32, fp16);
        if (report.fp16Map() < report.fp32Map() - settings.fp16MaxMapDrop()) {
            throw new YoloFleetException(ErrorCode.EXPORT_MISMATCH, String.format(Locale.ROOT, "the %s export loses %.4f val mAP@0.5 against"
                    + " float32 (%.4f against %.4f on %s), more than yolofleet.publish.faithfulness.fp16-max-map-drop = %.4f. Nothing was"
                    + " published", ModelExports.ONNX_FP16, report.fp32Map() - report.fp16Map(), report.fp16Map(), report.fp32Map(),
                    candidate.valSplit().input(), settings.fp16MaxMapDrop()));
        }
        return report;
    }

    private ParityResult compare(Detector checkpoint, String format, Supplier<Detector> export, List<ValImage> images) {
        try (Detector candidate = export.get()) {
            ParityResult result = parity.compare(format, checkpoint, candidate, images);
            result.requirePassed();
            return result;
        }
    }
}
