package org.yolofleet.core.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Detections as parallel primitive arrays, so decoding and suppression of thousands of candidates allocate no object
 * per candidate. Grows as needed; not thread-safe.
 */
final class CandidateBuffer {
    private int size;
    private int[] classIds;
    private double[] scores;
    private double[] xmins;
    private double[] ymins;
    private double[] xmaxs;
    private double[] ymaxs;

    CandidateBuffer(int initialCapacity) {
        int capacity = Math.max(16, initialCapacity);
        classIds = new int[capacity];
        scores = new double[capacity];
        xmins = new double[capacity];
        ymins = new double[capacity];
        xmaxs = new double[capacity];
        ymaxs = new double[capacity];
    }

    static CandidateBuffer of(List<Detection> detections) {
        CandidateBuffer buffer = new CandidateBuffer(detections.size());
        for (Detection detection : detections) {
            BoundingBox box = detection.box();
            buffer.add(detection.classId(), detection.score(), box.xmin(), box.ymin(), box.xmax(), box.ymax());
        }
        return buffer;
    }

    void add(int classId, double score, double xmin, double ymin, double xmax, double ymax) {
        if (size == scores.length) {
            grow();
        }
        classIds[size] = classId;
        scores[size] = score;
        xmins[size] = xmin;
        ymins[size] = ymin;
        xmaxs[size] = xmax;
        ymaxs[size] = ymax;
        size++;
    }

    int size() {
        return size;
    }

    int classId(int index) {
        return classIds[index];
    }

    double score(int index) {
        return scores[index];
    }

    /** The scores by candidate index; the array may be longer than {@link #size()}. Not to be modified. */
    double[] scores() {
        return scores;
    }

    double xmin(int index) {
        return xmins[index];
    }

    double ymin(int index) {
        return ymins[index];
    }

    double xmax(int index) {
        return xmaxs[index];
    }

    double ymax(int index) {
        return ymaxs[index];
    }


    Detection detection(int index) {
        return new Detection(classIds[index], scores[index], new BoundingBox(xmins[index], ymins[index], xmaxs[index], ymaxs[index]));
    }

    List<Detection> detections(int[] indices) {
        List<Detection> detections = new ArrayList<>(indices.length);
        for (int index : indices) {
            detections.add(detection(index));
        }
        return List.copyOf(detections);
    }

    List<Detection> detections() {
        List<Detection> detections = new ArrayList<>(size);
        for (int index = 0; index < size; index++) {
            detections.add(detection(index));
        }
        return List.copyOf(detections);
    }

    private void grow() {
        int capacity = scores.length * 2;
        classIds = Arrays.copyOf(classIds, capacity);
        scores = Arrays.copyOf(scores, capacity);
        xmins = Arrays.copyOf(xmins, capacity);
        ymins = Arrays.copyOf(ymins, capacity);
        xmaxs = Arrays.copyOf(xmaxs, capacity);
        ymaxs = Arrays.copyOf(ymaxs, capacity);
    }
}
