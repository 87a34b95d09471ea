package org.yolofleet.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import org.yolofleet.core.model.ModelSpec;

/** Switches DL4J's layer helpers for the networks built inside a block, and compares activations with references. */
final class Helpers {
    private Helpers() {}

    /** The spec's network with DL4J's oneDNN helpers off (DL4J reads the property when a layer is created). */
    static ComputationGraph withoutHelpers(ModelSpec spec) {
        Nd4jRuntime.applyFastConfiguration();
        System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "true");
        try {
            return TinyYoloGraphBuilder.forSpec(spec).fastRuntime(false).build();
        }
        finally {
            System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "false");
        }
    }

    /** One image of a batch as a flat CHW float array. */
    static float[] image(INDArray batch, int index) {
        return Nd4j.toFlattened('c', batch.get(NDArrayIndex.point(index))).castTo(DataType.FLOAT).toFloatVector();
    }

    static double maxAbsoluteDifference(float[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("sizes differ: " + actual.length + " vs " + expected.length);
        }
        double max = 0;
        for (int index = 0; index < actual.length; index++) {
            max = Math.max(max, Math.abs(actual[index] - expected[index]));
        }
        return max;
    }

    /** The largest |actual - expected| / max(1, |expected|). */
    static double maxRelativeDifference(float[] actual, double[] expected) {
        double max = 0;
        for (int index = 0; index < actual.length; index++) {
            max = Math.max(max, Math.abs(actual[index] - expected[index]) / Math.max(1, Math.abs(expected[index])));
        }
        return max;
    }
}
