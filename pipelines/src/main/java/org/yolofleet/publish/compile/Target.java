package org.yolofleet.publish.compile;

/**
 * The device a compiled artifact runs on: each takes its own format, so the release says per device what it carries.
 */
public enum Target {
    /** First-generation Neural Compute Stick (Myriad 2): an NCSDK {@code .graph}. */
    NCS,
    /** Neural Compute Stick 2 (Myriad X): an OpenVINO MYRIAD {@code .blob}. */
    NCS2,
    /** Luxonis OAK (Myriad X, driven by DepthAI): a {@code .blob} from an OpenVINO that DepthAI supports. */
    OAK
}
