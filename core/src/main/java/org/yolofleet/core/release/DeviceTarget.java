package org.yolofleet.core.release;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The device an artifact runs on; its JSON name is the lower-case constant ({@code ncs}, {@code ncs2}, ...). */
public enum DeviceTarget {
    /** The first Movidius Neural Compute Stick (Myriad 2), NCSDK graph files. */
    NCS,
    /** The Neural Compute Stick 2 (Myriad X), OpenVINO blobs. */
    NCS2,
    /** A Luxonis OAK camera (Myriad X), OpenVINO blobs. */
    OAK,
    /** The Raspberry Pi's own CPU, ONNX Runtime. */
    CPU;

    /** The name in a manifest. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The target a manifest names; {@link IllegalArgumentException} listing the known names otherwise. */
    public static DeviceTarget ofKey(String key) {
        for (DeviceTarget target : values()) {
            if (target.key().equals(key)) {
                return target;
            }
        }
        throw new IllegalArgumentException("device target '" + key + "' is not one of "
                + Arrays.stream(values()).map(DeviceTarget::key).collect(Collectors.joining(", ")));
    }
}
