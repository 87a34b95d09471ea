package org.yolofleet.model;

import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.NoParamLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.objdetect.YoloUtils;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;
import org.yolofleet.core.model.Anchor;
import org.yolofleet.core.model.RegionLayer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Darknet's {@code [region]} layer for DL4J training: the output layer of the Tiny-YOLOv2 graph, trained with
 * {@link RegionLoss} (Darknet's region loss) on labels in the {@link YoloLabelEncoder} layout. Its activations are the
 * decoded region tensor as DL4J's {@code Yolo2OutputLayer} presents it (sigmoid x, y and objectness, anchor-scaled
 * exp w, h, softmax classes); detection and export use the raw tensor of the last convolution instead.
 *
 * <p>The configuration's fields are JSON properties of DL4J's (shaded) Jackson, so model zips and Spark keep them.
 */
public final class RegionOutputLayer extends NoParamLayer {
    @JsonProperty
    private double[] anchors;
    @JsonProperty
    private int classes;
    @JsonProperty
    private double coordinateScale;
    @JsonProperty
    private double objectScale;
    @JsonProperty
    private double noObjectScale;
    @JsonProperty
    private double classScale;
    @JsonProperty
    private double ignoreThreshold;
    @JsonProperty
    private boolean rescore;
    @JsonProperty
    private boolean biasMatch;

    /** For DL4J's JSON. */
    public RegionOutputLayer() {
    }

    public RegionOutputLayer(RegionLoss loss) {
        this.anchors = loss.anchors();
        this.classes = loss.classes();
        RegionLoss.Scales scales = loss.scales();
        this.coordinateScale = scales.coordinates();
        this.objectScale = scales.object();
        this.noObjectScale = scales.noObject();
        this.classScale = scales.classes();
        this.ignoreThreshold = scales.ignoreThreshold();
        this.rescore = scales.rescore();
        this.biasMatch = scales.biasMatch();
    }

    public static RegionOutputLayer of(RegionLayer region) {
        return new RegionOutputLayer(RegionLoss.of(region));
    }

    public RegionLoss loss() {
        return new RegionLoss(anchors, classes, new RegionLoss.Scales(coordinateScale, objectScale, noObjectScale, classScale,
                ignoreThreshold, rescore, biasMatch));
    }

    /**
     * {@code region} with this layer's anchors and training settings (loss scales, {@code thresh}, {@code rescore},
     * {@code bias_match}): the head a network carries, stated as the cfg's {@code [region]}. A warm-started network keeps
     * its checkpoint's head, whatever the configuration now says.
     */
    public RegionLayer appliedTo(RegionLayer region) {
        if (region.classes() != classes) {
            throw new IllegalArgumentException("the network's region layer has " + classes + " classes, the spec " + region.classes());
        }
        List<Anchor> anchorList = new ArrayList<>();
        for (int index = 0; index < anchors.length; index += 2) {
            anchorList.add(new Anchor(anchors[index], anchors[index + 1]));
        }
        return new RegionLayer(anchorList, classes, region.coordinates(), region.softmax(), region.jitter(), rescore, objectScale,
                noObjectScale, classScale, coordinateScale, region.absolute(), ignoreThreshold, region.multiScaleTraining(), biasMatch);
    }

    /** The anchors as DL4J's {@code [anchors, 2]} priors (width, height in grid cells). */
    public INDArray anchorMatrix() {
        double[][] priors = new double[anchors.length / 2][];
        for (int index = 0; index < priors.length; index++) {
            priors[index] = new double[] {anchors[2 * index], anchors[2 * index + 1]};
        }
        return Nd4j.create(priors).castTo(DataType.FLOAT);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration configuration, Collection<TrainingListener> listeners,
                                                       int layerIndex, INDArray parameters, boolean initialize, DataType dataType) {
        Implementation layer = new Implementation(configuration, dataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(parameters);
        layer.setParamTable(initializer().init(configuration, parameters, initialize));
        layer.setConf(configuration);
        return layer;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, RegionOutputLayer.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 2 * perExample, 0, 2 * perExample)
                .cacheMemory(0, 0)
                .build();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RegionOutputLayer layer && super.equals(other)
                && java.util.Arrays.equals(anchors, layer.anchors) && classes == layer.classes
                && coordinateScale == layer.coordinateScale && objectScale == layer.objectScale && noObjectScale == layer.noObjectScale
                && classScale == layer.classScale && ignoreThreshold == layer.ignoreThreshold && rescore == layer.rescore
                && biasMatch == layer.biasMatch;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + java.util.Arrays.hashCode(anchors) + classes;
    }

    /** The layer at work: loss, gradient and activations of a minibatch. */
    public static final class Implementation extends AbstractLayer<RegionOutputLayer> implements IOutputLayer {
        private INDArray labels;
        private double score;

        public Implementation(NeuralNetConfiguration configuration, DataType dataType) {
            super(configuration, dataType);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            float[] gradient = new float[Math.toIntExact(input.length())];
            computeLoss(gradient);
            INDArray epsilonOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, input.dataType(), input.shape(), 'c');
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                epsilonOut.assign(Nd4j.create(gradient, input.shape(), 'c').castTo(input.dataType()));
            }
            return new Pair<>(new DefaultGradient(), epsilonOut);
        }

        /** Sets {@link #score} to the minibatch's mean loss and returns each example's loss. */
        private double[] computeLoss(float[] gradient) {
            assertInputSet(true);
            if (labels == null) {
                throw new IllegalStateException("region layer: no labels set");
            }
            RegionLoss loss = layerConf().loss();
            int examples = (int) input.size(0);
            int gridHeight = (int) input.size(2);
            int gridWidth = (int) input.size(3);
            int outputLength = loss.outputLength(gridWidth, gridHeight);
            int labelLength = loss.labelLength(gridWidth, gridHeight);
            if (input.size(1) * gridHeight * gridWidth != outputLength || labels.length() != (long) examples * labelLength) {
                throw new IllegalStateException("region layer: input " + java.util.Arrays.toString(input.shape()) + " and labels "
                        + java.util.Arrays.toString(labels.shape()) + " do not fit " + loss.anchorCount() + " anchors and "
                        + loss.classes() + " classes");
            }
            float[] output;
            float[] labelValues;
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                output = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
                labelValues = labels.castTo(DataType.FLOAT).dup('c').data().asFloat();
            }
            double[] perExample = new double[examples];
            double total = 0;
            for (int example = 0; example < examples; example++) {
                perExample[example] = loss.compute(output, example * outputLength, labelValues, example * labelLength, gridWidth, gridHeight,
                        gradient, example * outputLength);
                total += perExample[example];
            }
            score = total / examples;
            return perExample;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(false);
            return YoloUtils.activate(layerConf().anchorMatrix(), input, true, workspaceMgr);
        }

        @Override
        public boolean needsLabels() {
            return true;
        }

        @Override
        public void setLabels(INDArray newLabels) {
            this.labels = newLabels;
        }

        @Override
        public INDArray getLabels() {
            return labels;
        }

        @Override
        public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
            computeLoss(null);
            score += fullNetRegTerm;
            return score;
        }

        @Override
        public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
            double[] perExample = computeLoss(null);
            for (int example = 0; example < perExample.length; example++) {
                perExample[example] += fullNetRegTerm;
            }
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, Nd4j.create(perExample, new long[] {perExample.length, 1}, 'c')
                    .castTo(input.dataType()));
        }

        @Override
        public double score() {
            return score;
        }

        @Override
        public Pair<Gradient, Double> gradientAndScore() {
            return new Pair<>(gradient(), score());
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public void clearNoiseWeightParams() {
            // no parameters
        }

        @Override
        public double f1Score(DataSet data) {
            throw new UnsupportedOperationException("the region layer has no F1 score: evaluate detections with mAP");
        }

        @Override
        public double f1Score(INDArray examples, INDArray labels) {
            throw new UnsupportedOperationException("the region layer has no F1 score: evaluate detections with mAP");
        }

        @Override
        public int numLabels() {
            return layerConf().classes;
        }

        @Override
        public void fit(DataSetIterator iterator) {
            throw new UnsupportedOperationException("fit the network, not its output layer");
        }

        @Override
        public int[] predict(INDArray examples) {
            throw new UnsupportedOperationException("the region layer detects boxes: decode its output");
        }

        @Override
        public List<String> predict(DataSet dataSet) {
            throw new UnsupportedOperationException("the region layer detects boxes: decode its output");
        }

        @Override
        public void fit(INDArray examples, INDArray labels) {
            throw new UnsupportedOperationException("fit the network, not its output layer");
        }

        @Override
        public void fit(DataSet data) {
            throw new UnsupportedOperationException("fit the network, not its output layer");
        }

        @Override
        public void fit(INDArray examples, int[] labels) {
            throw new UnsupportedOperationException("fit the network, not its output layer");
        }
    }
}
