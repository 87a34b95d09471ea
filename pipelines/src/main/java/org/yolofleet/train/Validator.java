package org.yolofleet.train;

import org.yolofleet.core.image.ImageDecoder;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.yolofleet.augment.SampleLabel;
import org.yolofleet.core.detect.BoundingBox;
import org.yolofleet.core.detect.Detection;
import org.yolofleet.core.detect.Letterbox;
import org.yolofleet.core.detect.NonMaxSuppression;
import org.yolofleet.core.detect.RegionDecoder;
import org.yolofleet.core.eval.Evaluation;
import org.yolofleet.core.eval.EvaluationSettings;
import org.yolofleet.core.eval.GroundTruth;
import org.yolofleet.core.eval.Prediction;
import org.yolofleet.core.eval.VocEvaluator;
import org.yolofleet.core.image.JpegCodec;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.ModelSpec;
import org.yolofleet.model.TinyYoloGraphBuilder;
import org.yolofleet.spark.HadoopFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Validation on the driver: the val shards are read and decoded once (float RGB CHW kept in memory), then each epoch
 * runs the DL4J network forward in batches up to the raw region tensor, decodes with the model core's
 * {@link RegionDecoder} + per-class {@link NonMaxSuppression}, and scores with {@link VocEvaluator} (IoU 0.5, boxes in
 * network pixels, continuous coordinates: no +1 pixel). The val split is small next to training, so one JVM forward pass
 * is cheaper than shipping the model to executors.
 */
public final class Validator {
    private final ModelSpec spec;
    private final TrainConfig.Validation settings;
    private final List<String> keys;
    private final float[] features;
    private final List<GroundTruth> groundTruths;

    private Validator(ModelSpec spec, TrainConfig.Validation settings, List<String> keys, float[] features, List<GroundTruth> groundTruths) {
        this.spec = spec;
        this.settings = settings;
        this.keys = List.copyOf(keys);
        this.features = features;
        this.groundTruths = List.copyOf(groundTruths);
    }

    public static Validator load(List<String> shards, Configuration hadoop, ModelSpec spec, TrainConfig.Validation settings) {
        requireNonNull(spec, "spec");
        requireNonNull(settings, "settings");
        List<ShardSample> samples = new ArrayList<>();
        for (String shard : shards) {
            FileSystem fileSystem = HadoopFiles.fileSystem(shard, hadoop);
            try (FSDataInputStream input = fileSystem.open(new Path(shard))) {
                samples.addAll(ShardSample.group(TarEntries.read(new BufferedInputStream(input, 1 << 20), 0, shard), shard));
            } catch (IOException failure) {
                throw HadoopFiles.failure("cannot read the val shard", shard, failure);
            }
        }
        int pixels = 3 * spec.width() * spec.height();
        float[] features = new float[samples.size() * pixels];
        List<String> keys = new ArrayList<>();
        List<GroundTruth> truths = new ArrayList<>();
        for (int index = 0; index < samples.size(); index++) {
            ShardSample sample = samples.get(index);
            ShardBatchLoader.writeChannels(ImageDecoder.STORED_IMAGES.decode(sample.jpeg()).image(), spec.width(), spec.height(), features, index * pixels, sample.key());
            keys.add(sample.key());
            for (SampleLabel.Box box : sample.label().boxes()) {
                truths.add(new GroundTruth(sample.key(), box.classId(), new BoundingBox(box.xmin(), box.ymin(), box.xmax(), box.ymax()),
                        box.difficult()));
            }
        }
        return new Validator(spec, settings, keys, features, truths);
    }

    public int images() {
        return keys.size();
    }

    /** The network's evaluation on the val split. */
    public Evaluation evaluate(ComputationGraph network) {
        String regionInput = TinyYoloGraphBuilder.regionInputName(spec);
        List<Anchor> anchors = spec.anchors();
        double[] priors = new double[2 * anchors.size()];
        for (int index = 0; index < anchors.size(); index++) {
            priors[2 * index] = anchors.get(index).width();
            priors[2 * index + 1] = anchors.get(index).height();
        }
        RegionDecoder decoder = new RegionDecoder(spec.gridWidth(), spec.gridHeight(), priors, spec.classCount());
        NonMaxSuppression suppression = NonMaxSuppression.withIouThreshold(settings.nmsIou());
        Letterbox identity = Letterbox.resize(spec.width(), spec.height(), spec.width(), spec.height());
        int pixels = 3 * spec.width() * spec.height();
        List<Prediction> predictions = new ArrayList<>();
        for (int first = 0; first < keys.size(); first += settings.batchSize()) {
            int count = Math.min(settings.batchSize(), keys.size() - first);
            float[] batch = new float[count * pixels];
            System.arraycopy(features, first * pixels, batch, 0, count * pixels);
            INDArray input = Nd4j.create(batch, new long[] {count, 3, spec.height(), spec.width()}, 'c');
            // ComputationGraph.output(..) fails in M2 when one output feeds another: feedForward gives every vertex
            Map<String, INDArray> activations = network.feedForward(input, false);
            float[] output = activations.get(regionInput).dup('c').data().asFloat();
            network.clearLayersStates();
            for (int image = 0; image < count; image++) {
                List<Detection> detections = decoder.detect(output, image * decoder.outputLength(), identity, settings.threshold(), suppression);
                for (Detection detection : detections) {
                    predictions.add(new Prediction(keys.get(first + image), detection));
                }
            }
        }
        return new VocEvaluator(spec.classCount(), EvaluationSettings.VOC.withPlusOnePixel(false)).evaluate(groundTruths, predictions);
    }
}
