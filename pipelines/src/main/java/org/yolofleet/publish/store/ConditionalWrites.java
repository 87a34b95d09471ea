package org.yolofleet.publish.store;

/** {@code yolofleet.publish.store.conditional-writes}: whether channel pointers are replaced with conditional PUTs. */
public enum ConditionalWrites {
    /** Probe the store once; conditional PUTs where it honours them, the read-compare-write fallback where not. */
    AUTO,
    /** Conditional PUTs; a store that does not honour them fails with CONFIG. */
    REQUIRED,
    /** Always the read-compare-write fallback. */
    OFF
}
