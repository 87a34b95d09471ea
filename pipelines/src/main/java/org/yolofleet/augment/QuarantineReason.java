package org.yolofleet.augment;

/** Why the augment stage set a prepared record aside (the job goes on without it). */
public enum QuarantineReason {
    /** The stored image bytes no longer decode (or the decoder reported damage). */
    UNDECODABLE_IMAGE,
    /** The decoded image is not the size the dataset recorded, so its boxes cannot be trusted. */
    SIZE_MISMATCH,
    /** An object's box is not a valid box (not finite, or inverted). */
    INVALID_BOX
}
