package org.yolofleet.core.model;

/** How an image is brought to the network's input size; recorded in the model because detections depend on it. */
public enum ResizeMode {
    /** Darknet's default: aspect-preserving resize, centred on a 0.5 grey canvas of the input size. */
    LETTERBOX,
    /** Plain resize to the input size, stretching the image when the aspect ratios differ. */
    RESIZE
}
