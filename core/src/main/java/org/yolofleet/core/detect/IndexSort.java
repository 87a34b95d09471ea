package org.yolofleet.core.detect;

/** Sorts arrays of indices by the scores they point to, without boxing (a merge sort). */
final class IndexSort {
    private static final int INSERTION_SORT_LIMIT = 16;

    private IndexSort() {}

    /**
     * Sorts {@code indices[from .. to)} by descending {@code scores[index]}, equal scores by ascending index: a total
     * order, so the result does not depend on the input order.
     */
    static void sortByDescendingScore(int[] indices, int from, int to, double[] scores) {
        if (to - from < 2) {
            return;
        }
        int[] buffer = new int[to - from];
        sort(indices, buffer, from, to, from, scores);
    }

    private static boolean before(int first, int second, double[] scores) {
        double firstScore = scores[first];
        double secondScore = scores[second];
        return firstScore > secondScore || (firstScore == secondScore && first < second);
    }

    private static void sort(int[] indices, int[] buffer, int from, int to, int bufferOffset, double[] scores) {
        if (to - from <= INSERTION_SORT_LIMIT) {
            insertionSort(indices, from, to, scores);
            return;
        }
        int middle = (from + to) >>> 1;
        sort(indices, buffer, from, middle, bufferOffset, scores);
        sort(indices, buffer, middle, to, bufferOffset, scores);
        if (!before(indices[middle], indices[middle - 1], scores)) {
            return;
        }
        System.arraycopy(indices, from, buffer, from - bufferOffset, to - from);
        int left = from;
        int right = middle;
        for (int target = from; target < to; target++) {
            if (right >= to || (left < middle && !before(buffer[right - bufferOffset], buffer[left - bufferOffset], scores))) {
                indices[target] = buffer[left++ - bufferOffset];
            }
            else {
                indices[target] = buffer[right++ - bufferOffset];
            }
        }
    }

    private static void insertionSort(int[] indices, int from, int to, double[] scores) {
        for (int next = from + 1; next < to; next++) {
            int value = indices[next];
            int position = next;
            while (position > from && before(value, indices[position - 1], scores)) {
                indices[position] = indices[position - 1];
                position--;
            }
            indices[position] = value;
        }
    }
}
