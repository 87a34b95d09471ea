package org.yolofleet.train;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.error.ErrorCode;
import org.yolofleet.core.error.YoloFleetException;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.core.image.ImageDecoder;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.ml.eval.DistributedEvaluator;
import org.yolofleet.ml.eval.SplitEvaluator;
import org.yolofleet.model.TinyYoloGraphBuilder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Validation on the driver: each epoch streams the val shards, one shard's samples at a time, decodes them into one
 * reused batch of float RGB CHW ({@link ValidationBatches}: the whole split never sits in memory), runs the DL4J network
 * forward up to the raw region tensor, decodes with the model core's {@link RegionDecoder} + per-class
 * {@link NonMaxSuppression}, and scores with {@link VocEvaluator} (IoU 0.5, boxes in network pixels, continuous
 * coordinates: no +1 pixel), or, for a split larger than {@code train.validation.distributed-above}, with
 * {@link DistributedEvaluator} on the executors ({@link SplitEvaluator}: the same mAP). Batches are cut from the samples in shard order, so the predictions do not depend on
 * the shards' sizes. The val split is small next to training, so one JVM forward pass is cheaper than shipping the
 * model to executors; its memory is one batch of floats and one shard's JPEGs, whatever the split's size.
 */
public final class Validator {
    private final Configuration hadoop;
    private final ModelSpec spec;
    private final TrainConfig.Validation settings;
    private final List<String> shards;
    private final ValidationBatches batches;
    private final List<GroundTruth> groundTruths;
    private final SplitEvaluator evaluator;

    private Validator(Configuration hadoop, ModelSpec spec, TrainConfig.Validation settings, List<String> shards, long images,
                      List<GroundTruth> groundTruths, SplitEvaluator evaluator) {
        this.hadoop = hadoop;
        this.spec = spec;
        this.settings = settings;
        this.shards = List.copyOf(shards);
        this.batches = ValidationBatches.of(images, 3, spec.height(), spec.width(), settings.batchSize());
        this.groundTruths = List.copyOf(groundTruths);
        this.evaluator = evaluator;
    }

    /**
     * Reads the val shards once for their labels (the ground truths) and decodes every sample once, so a sample of the
     * wrong size fails the run at start, not after the first epoch.
     */
    public static Validator load(List<String> shards, Configuration hadoop, ModelSpec spec, TrainConfig.Validation settings) {
        return load(shards, hadoop, spec, settings, SplitEvaluator.onDriver());
    }

    /** As {@link #load(List, Configuration, ModelSpec, TrainConfig.Validation)}, scoring with {@code evaluator} (driver or executors by size). */
    public static Validator load(List<String> shards, Configuration hadoop, ModelSpec spec, TrainConfig.Validation settings,
                                 SplitEvaluator evaluator) {
        requireNonNull(shards, "shards");
        requireNonNull(evaluator, "evaluator");
        requireNonNull(hadoop, "hadoop");
        requireNonNull(spec, "spec");
        requireNonNull(settings, "settings");
        float[] scratch = new float[3 * spec.width() * spec.height()];
        long images = 0;
        List<GroundTruth> truths = new ArrayList<>();
        for (String shard : shards) {
            for (ShardSample sample : ShardSample.readShard(shard, hadoop)) {
                ShardBatchLoader.writeChannels(ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image(), spec.width(), spec.height(), scratch, 0, sample.key());
                images++;
                for (SampleLabel.Box box : sample.label().boxes()) {
                    truths.add(new GroundTruth(sample.key(), box.classId(), new BoundingBox(box.xmin(), box.ymin(), box.xmax(), box.ymax()),
                            box.difficult()));
                }
            }
        }
        return new Validator(hadoop, spec, settings, shards, images, truths, evaluator);
    }

    /**
     * The failure of a run whose val split is empty: validation scores every epoch, picks {@code best.json} and drives
     * {@code patience}, so training without it would run blind.
     */
    static YoloFleetException emptyValSplit(String input) {
        return new YoloFleetException(ErrorCode.CONFIG, input + " has no val samples: the val split is empty, and train validates"
                + " every epoch (val mAP picks best.json and drives patience). Rerun prepare with more images or a larger"
                + " yolofleet.prepare.split.val-fraction (or, with split.mode = imagesets, a val list that names images), then augment");
    }

    public int images() {
        return Math.toIntExact(batches.images());
    }

    /** How the val split is cut into forward passes. */
    public ValidationBatches batches() {
        return batches;
    }

    /** The network's evaluation on the val split. */
    public Evaluation evaluate(ComputationGraph network) {
        String regionInput = TinyYoloGraphBuilder.regionInputName(spec);
        RegionDecoder decoder = RegionDecoder.of(spec.gridWidth(), spec.gridHeight(), spec.anchors(), spec.classCount());
        NonMaxSuppression suppression = NonMaxSuppression.withIouThreshold(settings.nmsIou());
        Letterbox identity = Letterbox.resize(spec.width(), spec.height(), spec.width(), spec.height());
        int pixels = Math.toIntExact(batches.floatsPerImage());
        float[] batch = new float[batches.floatsPerBatch()];
        List<String> keys = new ArrayList<>(settings.batchSize());
        List<Prediction> predictions = new ArrayList<>();
        for (String shard : shards) {
            for (ShardSample sample : ShardSample.readShard(shard, hadoop)) {
                ShardBatchLoader.writeChannels(ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image(), spec.width(), spec.height(), batch, keys.size() * pixels,
                        sample.key());
                keys.add(sample.key());
                if (keys.size() == settings.batchSize()) {
                    predict(network, regionInput, batch, keys, decoder, identity, suppression, predictions);
                    keys.clear();
                }
            }
        }
        if (!keys.isEmpty()) {
            predict(network, regionInput, batch, keys, decoder, identity, suppression, predictions);
        }
        return evaluator.evaluate(spec.classCount(), EvaluationSettings.VOC.withPlusOnePixel(false), batches.images(), groundTruths, predictions);
    }

    /** One forward pass over the first {@code keys.size()} images of {@code batch}; their detections join {@code predictions}. */
    private void predict(ComputationGraph network, String regionInput, float[] batch, List<String> keys, RegionDecoder decoder,
                         Letterbox identity, NonMaxSuppression suppression, List<Prediction> predictions) {
        int count = keys.size();
        int floats = count * Math.toIntExact(batches.floatsPerImage());
        float[] features = floats == batch.length ? batch : Arrays.copyOf(batch, floats);
        INDArray input = Nd4j.create(features, new long[] {count, 3, spec.height(), spec.width()}, 'c');
        // ComputationGraph.output(..) fails in M2 when one output feeds another: feedForward gives every vertex
        Map<String, INDArray> activations = network.feedForward(input, false);
        float[] output = activations.get(regionInput).dup('c').data().asFloat();
        network.clearLayersStates();
        for (int image = 0; image < count; image++) {
            List<Detection> detections = decoder.detect(output, image * decoder.outputLength(), identity, settings.threshold(), suppression);
            for (Detection detection : detections) {
                predictions.add(new Prediction(keys.get(image), detection));
            }
        }
    }

}
