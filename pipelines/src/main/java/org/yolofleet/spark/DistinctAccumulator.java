package org.yolofleet.spark;

import org.apache.spark.util.AccumulatorV2;

import java.io.Serial;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Spark accumulator of distinct strings, sorted: what the executors add reaches the driver with their tasks, each
 * value once however often it was added, so it stays small over a long run (such as the executors that trained).
 */
public final class DistinctAccumulator extends AccumulatorV2<String, Set<String>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final TreeSet<String> values = new TreeSet<>();

    @Override
    public synchronized boolean isZero() {
        return values.isEmpty();
    }

    @Override
    public synchronized DistinctAccumulator copy() {
        DistinctAccumulator copy = new DistinctAccumulator();
        copy.values.addAll(values);
        return copy;
    }

    @Override
    public synchronized void reset() {
        values.clear();
    }

    @Override
    public synchronized void add(String value) {
        values.add(value);
    }

    @Override
    public void merge(AccumulatorV2<String, Set<String>> other) {
        Set<String> theirs = other.value();
        synchronized (this) {
            values.addAll(theirs);
        }
    }

    /** The distinct values so far, sorted; a copy. */
    @Override
    public synchronized Set<String> value() {
        return Collections.unmodifiableSet(new TreeSet<>(values));
    }
}
