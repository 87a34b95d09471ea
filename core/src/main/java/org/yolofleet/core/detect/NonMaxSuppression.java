package org.yolofleet.core.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Per-class greedy non-maximum suppression: within each class, detections are taken by descending score and one is
 * dropped when its IoU with an already kept detection of the same class is <em>greater</em> than
 * {@link #iouThreshold()} (Darknet's {@code do_nms_sort} rule; torchvision's as well). Detections of different
 * classes never suppress each other.
 *
 * <p>The result is ordered by descending score; equal scores keep their input order, so the result is deterministic.
 * With {@link #maxDetections()} below {@link #UNLIMITED} only that many of the highest-scoring survivors are kept.
 * Works on primitive arrays (no object per candidate until the survivors are returned) and compares a candidate only
 * with kept boxes whose width and height are within a factor {@code 1 / iouThreshold} of its own, as no others can
 * overlap it by more than the threshold: the result is that of the plain greedy algorithm, found faster.
 *
 * @param iouThreshold IoU in {@code [0, 1]} above which the lower-scoring of two same-class detections is dropped
 * @param maxDetections the most detections to return, at least 1; {@link #UNLIMITED} for no cap
 */
public record NonMaxSuppression(double iouThreshold, int maxDetections) {
    /** No cap on the number of detections. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public NonMaxSuppression {
        if (!(iouThreshold >= 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("NMS IoU threshold must be in [0, 1], got " + iouThreshold);
        }
        if (maxDetections < 1) {
            throw new IllegalArgumentException("NMS max detections must be at least 1, got " + maxDetections);
        }
    }

    /** Suppression at the given IoU threshold with no cap on the number of detections. */
    public static NonMaxSuppression withIouThreshold(double iouThreshold) {
        return new NonMaxSuppression(iouThreshold, UNLIMITED);
    }

    /** The same suppression, keeping at most {@code maxDetections}. */
    public NonMaxSuppression withMaxDetections(int maxDetections) {
        return new NonMaxSuppression(iouThreshold, maxDetections);
    }

    /** The detections that survive (the same instances), by descending score. */
    public List<Detection> apply(List<Detection> detections) {
        List<Detection> input = List.copyOf(requireNonNull(detections, "detections"));
        int[] kept = keep(CandidateBuffer.of(input));
        List<Detection> survivors = new ArrayList<>(kept.length);
        for (int index : kept) {
            survivors.add(input.get(index));
        }
        return List.copyOf(survivors);
    }

    /** Indices into {@code candidates} of the survivors, by descending score then ascending index. */
    int[] keep(CandidateBuffer candidates) {
        int count = candidates.size();
        int[] order = new int[count];
        int[] classStarts = orderByClassThenScore(candidates, order);
        int[] kept = new int[count];
        int keptCount = 0;
        int largestClass = 0;
        for (int run = 0; run + 1 < classStarts.length; run++) {
            largestClass = Math.max(largestClass, classStarts[run + 1] - classStarts[run]);
        }
        KeptBoxes keptOfClass = new KeptBoxes(largestClass, iouThreshold);
        for (int run = 0; run + 1 < classStarts.length; run++) {
            int runStart = classStarts[run];
            int runEnd = classStarts[run + 1];
            if (runStart == runEnd) {
                continue;
            }
            keptOfClass.reset(candidates, order, runStart, runEnd);
            for (int position = runStart; position < runEnd; position++) {
                if (!keptOfClass.suppresses(candidates, order, position)) {
                    keptOfClass.add(candidates, order, position);
                    kept[keptCount++] = order[position];
                }
            }
        }
        IndexSort.sortByDescendingScore(kept, 0, keptCount, candidates.scores());
        return Arrays.copyOf(kept, Math.min(keptCount, maxDetections));
    }

    /**
     * Fills {@code order} with the candidate indices grouped by class (ascending), each group by descending score then
     * ascending index, and returns where each group starts (with the end as a last entry).
     */
    private static int[] orderByClassThenScore(CandidateBuffer candidates, int[] order) {
        int count = candidates.size();
        int[] groups = new int[count];
        int groupCount = denseClassGroups(candidates, groups);
        int[] starts = new int[groupCount + 1];
        for (int index = 0; index < count; index++) {
            starts[groups[index] + 1]++;
        }
        for (int group = 0; group < groupCount; group++) {
            starts[group + 1] += starts[group];
        }
        int[] next = Arrays.copyOf(starts, groupCount);
        for (int index = 0; index < count; index++) {
            order[next[groups[index]]++] = index;
        }
        for (int group = 0; group < groupCount; group++) {
            IndexSort.sortByDescendingScore(order, starts[group], starts[group + 1], candidates.scores());
        }
        return starts;
    }

    /** Numbers the classes densely, in class order: the class id itself when ids are small, else its rank. */
    private static int denseClassGroups(CandidateBuffer candidates, int[] groups) {
        int count = candidates.size();
        int maximumClass = -1;
        for (int index = 0; index < count; index++) {
            maximumClass = Math.max(maximumClass, candidates.classId(index));
        }
        if (maximumClass < 4 * count + 64) {
            for (int index = 0; index < count; index++) {
                groups[index] = candidates.classId(index);
            }
            return maximumClass + 1;
        }
        int[] distinct = new int[count];
        for (int index = 0; index < count; index++) {
            distinct[index] = candidates.classId(index);
        }
        Arrays.sort(distinct);
        int distinctCount = 0;
        for (int index = 0; index < count; index++) {
            if (distinctCount == 0 || distinct[distinctCount - 1] != distinct[index]) {
                distinct[distinctCount++] = distinct[index];
            }
        }
        for (int index = 0; index < count; index++) {
            groups[index] = Arrays.binarySearch(distinct, 0, distinctCount, candidates.classId(index));
        }
        return distinctCount;
    }

    /**
     * The boxes kept so far in one class, binned by the logarithm of their width and height so that a candidate only
     * looks at kept boxes of a size that could overlap it by more than the threshold. Each bin is a contiguous stretch
     * of the box arrays, sized up front from the candidates of the class, so the search is a linear scan.
     *
     * <p>Why that is exact: an IoU above {@code t} needs an intersection above {@code t} times the area of either box,
     * and since the intersection is no higher than either box, an intersection width above {@code t} times either
     * width; so the widths differ by less than a factor {@code 1 / t}, and likewise the heights. Boxes of zero width or
     * height overlap nothing. Positions are left to the IoU test itself.
     */
    private static final class KeptBoxes {
        /** Bins per dimension, at most. */
        private static final int MAXIMUM_BINS = 32;
        /** Bins per search range: finer bins look at fewer boxes that cannot overlap but visit more bins; 1 measured best. */
        private static final int BINS_PER_RANGE = 1;
        /** Widens the search a little so that rounding never leaves out a box that could overlap. */
        private static final double RANGE_MARGIN = 1.001;
        /** {@link #logarithm} is below {@code log2} by at most {@code log2(1 / ln 2) - (1 / ln 2 - 1)}, about 0.0861. */
        private static final double LOGARITHM_ERROR = 0.087;
        private static final long MANTISSA_BITS = 0x000F_FFFF_FFFF_FFFFL;
        private static final long EXPONENT_OF_ONE = 0x3FF0_0000_0000_0000L;

        private final double iouThreshold;
        /** The largest difference of {@link #logarithm} of two sizes that can overlap by more than the threshold. */
        private final double logarithmRange;
        // the boxes, each bin's kept boxes in slots binStarts[bin] .. binEnds[bin]
        private final double[] xmins;
        private final double[] ymins;
        private final double[] xmaxs;
        private final double[] ymaxs;
        private final double[] areas;
        // per position in the class's run: the logarithms of width and height, and the bin
        private final double[] logarithmWidths;
        private final double[] logarithmHeights;
        private final int[] bins;
        private final int[] binStarts = new int[MAXIMUM_BINS * MAXIMUM_BINS + 1];
        private final int[] binEnds = new int[MAXIMUM_BINS * MAXIMUM_BINS];
        private int runStart;
        private double originWidth;
        private double originHeight;
        private double binsPerUnitWidth;
        private double binsPerUnitHeight;
        private int widthBins;
        private int heightBins;
        private boolean empty;

        KeptBoxes(int capacity, double iouThreshold) {
            this.iouThreshold = iouThreshold;
            logarithmRange = iouThreshold > 0 ? Math.log(1 / iouThreshold) / Math.log(2) * RANGE_MARGIN + LOGARITHM_ERROR : Double.POSITIVE_INFINITY;
            xmins = new double[capacity];
            ymins = new double[capacity];
            xmaxs = new double[capacity];
            ymaxs = new double[capacity];
            areas = new double[capacity];
            logarithmWidths = new double[capacity];
            logarithmHeights = new double[capacity];
            bins = new int[capacity];
        }

        /** Empties the set and lays out the bins for the candidates {@code order[from .. to)}. */
        void reset(CandidateBuffer candidates, int[] order, int from, int to) {
            runStart = from;
            empty = true;
            double minimumWidth = Double.POSITIVE_INFINITY;
            double maximumWidth = Double.NEGATIVE_INFINITY;
            double minimumHeight = Double.POSITIVE_INFINITY;
            double maximumHeight = Double.NEGATIVE_INFINITY;
            for (int position = from; position < to; position++) {
                int candidate = order[position];
                double logarithmWidth = logarithm(candidates.xmax(candidate) - candidates.xmin(candidate));
                double logarithmHeight = logarithm(candidates.ymax(candidate) - candidates.ymin(candidate));
                logarithmWidths[position - from] = logarithmWidth;
                logarithmHeights[position - from] = logarithmHeight;
                minimumWidth = Math.min(minimumWidth, logarithmWidth);
                maximumWidth = Math.max(maximumWidth, logarithmWidth);
                minimumHeight = Math.min(minimumHeight, logarithmHeight);
                maximumHeight = Math.max(maximumHeight, logarithmHeight);
            }
            originWidth = minimumWidth;
            originHeight = minimumHeight;
            widthBins = binCount(maximumWidth - minimumWidth);
            heightBins = binCount(maximumHeight - minimumHeight);
            binsPerUnitWidth = widthBins > 1 ? widthBins / (maximumWidth - minimumWidth) : 0;
            binsPerUnitHeight = heightBins > 1 ? heightBins / (maximumHeight - minimumHeight) : 0;
            int binCount = widthBins * heightBins;
            Arrays.fill(binStarts, 0, binCount + 1, 0);
            for (int position = from; position < to; position++) {
                int bin = bin(logarithmHeights[position - from], originHeight, binsPerUnitHeight, heightBins) * widthBins
                        + bin(logarithmWidths[position - from], originWidth, binsPerUnitWidth, widthBins);
                bins[position - from] = bin;
                binStarts[bin + 1]++;
            }
            for (int bin = 0; bin < binCount; bin++) {
                binStarts[bin + 1] += binStarts[bin];
                binEnds[bin] = binStarts[bin];
            }
        }

        void add(CandidateBuffer candidates, int[] order, int position) {
            int candidate = order[position];
            if (!(candidates.xmax(candidate) > candidates.xmin(candidate) && candidates.ymax(candidate) > candidates.ymin(candidate))) {
                return;
            }
            int slot = binEnds[bins[position - runStart]]++;
            xmins[slot] = candidates.xmin(candidate);
            ymins[slot] = candidates.ymin(candidate);
            xmaxs[slot] = candidates.xmax(candidate);
            ymaxs[slot] = candidates.ymax(candidate);
            areas[slot] = (xmaxs[slot] - xmins[slot]) * (ymaxs[slot] - ymins[slot]);
            empty = false;
        }

        /** Whether a kept box overlaps the candidate at {@code order[position]} by more than the threshold. */
        boolean suppresses(CandidateBuffer candidates, int[] order, int position) {
            int candidate = order[position];
            double xmin = candidates.xmin(candidate);
            double ymin = candidates.ymin(candidate);
            double xmax = candidates.xmax(candidate);
            double ymax = candidates.ymax(candidate);
            if (empty || !(xmax > xmin && ymax > ymin) || iouThreshold >= 1) {
                return false;
            }
            double area = (xmax - xmin) * (ymax - ymin);
            double logarithmWidth = logarithmWidths[position - runStart];
            double logarithmHeight = logarithmHeights[position - runStart];
            int firstColumn = bin(logarithmWidth - logarithmRange, originWidth, binsPerUnitWidth, widthBins);
            int lastColumn = bin(logarithmWidth + logarithmRange, originWidth, binsPerUnitWidth, widthBins);
            int firstRow = bin(logarithmHeight - logarithmRange, originHeight, binsPerUnitHeight, heightBins);
            int lastRow = bin(logarithmHeight + logarithmRange, originHeight, binsPerUnitHeight, heightBins);
            for (int row = firstRow; row <= lastRow; row++) {
                for (int column = firstColumn; column <= lastColumn; column++) {
                    int bin = row * widthBins + column;
                    for (int slot = binStarts[bin]; slot < binEnds[bin]; slot++) {
                        // BoundingBox.iou(kept, candidate), inlined with the kept area precomputed: the same arithmetic
                        // (a kept box has a positive area, so the union is positive)
                        double width = Math.min(xmaxs[slot], xmax) - Math.max(xmins[slot], xmin);
                        double height = Math.min(ymaxs[slot], ymax) - Math.max(ymins[slot], ymin);
                        double intersection = Math.max(width, 0) * Math.max(height, 0);
                        if (intersection / (areas[slot] + area - intersection) > iouThreshold) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /**
         * A cheap base-2 logarithm for binning: the exponent plus the mantissa's fraction, which is monotone and at
         * most {@link #LOGARITHM_ERROR} below {@code log2(value)}. Values below the smallest normal double count as it
         * (zero sizes included: such boxes are never searched for nor stored).
         */
        private static double logarithm(double value) {
            double normal = Math.max(value, Double.MIN_NORMAL);
            double mantissa = Double.longBitsToDouble(Double.doubleToRawLongBits(normal) & MANTISSA_BITS | EXPONENT_OF_ONE);
            return Math.getExponent(normal) + mantissa - 1;
        }

        /** About {@link #BINS_PER_RANGE} bins per search range over the spread, at most {@link #MAXIMUM_BINS}. */
        private int binCount(double spread) {
            if (!(spread > 0) || !(logarithmRange < Double.POSITIVE_INFINITY)) {
                return 1;
            }
            return (int) Math.max(1, Math.min(MAXIMUM_BINS, Math.ceil(spread / logarithmRange * BINS_PER_RANGE)));
        }

        private static int bin(double value, double origin, double binsPerUnit, int bins) {
            double position = (value - origin) * binsPerUnit;
            if (!(position > 0)) {
                return 0;
            }
            return position >= bins ? bins - 1 : (int) position;
        }
    }
}
