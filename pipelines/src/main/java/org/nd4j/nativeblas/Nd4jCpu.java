package org.nd4j.nativeblas;

/**
 * Workaround for a DL4J 1.0.0-M2 bug that keeps every oneDNN layer helper off: not DL4J's class, ours.
 *
 * <p>DL4J's {@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper#mklDnnEnabled()}, which the convolution,
 * batch-normalisation, subsampling and LRN helpers call from {@code checkSupported()}, decides by reflection:
 * {@code Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment").getMethod("getInstance").invoke(null)}, then
 * {@code getMethod("isUseMKLDNN").invoke(instance)}. ND4J M2 moved and renamed that binding to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment#isUseONEDNN()}, so the lookup throws, DL4J
 * records the check as failed for the rest of the process and silently falls back to its built-in implementations,
 * several times slower. This class restores the old name with exactly the two public methods the reflection needs and
 * delegates to the new binding, so the helpers turn on whenever the loaded native library was built with oneDNN.
 *
 * <p>The helpers also need the system property {@code org.eclipse.deeplearning4j.helpers.disable=false} (M2 defaults it
 * to {@code true}); {@link org.yolofleet.model.Nd4jRuntime#applyFastConfiguration()} sets it. Delete this class when
 * the DL4J version in use looks up the new name.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {}

    /** Stands in for ND4J's old {@code Nd4jCpu.Environment}; only what DL4J's helper check calls. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {}

        /** Called by DL4J through reflection. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Called by DL4J through reflection: whether the loaded libnd4j was built with oneDNN and uses it. */
        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
