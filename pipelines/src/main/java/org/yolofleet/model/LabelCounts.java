package org.yolofleet.model;

/**
 * What {@link YoloLabelEncoder} did with the objects it was given: {@code objects = encoded + collisions + outside}.
 *
 * @param objects boxes given
 * @param encoded boxes written to the labels, one per grid cell
 * @param collisions boxes left out because a larger box has its centre in the same grid cell (DL4J's YOLOv2 loss holds
 *                   one object per cell)
 * @param outside boxes left out because they have no area inside the image (wholly outside it, or of zero width or height)
 */
public record LabelCounts(long objects, long encoded, long collisions, long outside) {
    public static final LabelCounts NONE = new LabelCounts(0, 0, 0, 0);

    public LabelCounts {
        if (objects < 0 || encoded < 0 || collisions < 0 || outside < 0 || objects != encoded + collisions + outside) {
            throw new IllegalArgumentException("counts must not be negative and objects must be encoded + collisions + outside, got "
                    + objects + ", " + encoded + ", " + collisions + ", " + outside);
        }
    }

    public LabelCounts plus(LabelCounts other) {
        return new LabelCounts(objects + other.objects, encoded + other.encoded, collisions + other.collisions, outside + other.outside);
    }
}
