package org.yolofleet.dataset;

import org.yolofleet.core.quarantine.QuarantineReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a generated sample dataset holds, for tests and demos to check the prepare stage against.
 *
 * @param classes          the class names used (configure these, in this order)
 * @param aliases          the aliases the faults assume (configure these too: the alias fault uses one)
 * @param goodImageIds     ids of the good records, sorted
 * @param goodObjectCounts objects per good record (0 for the negatives, which each get a NO_OBJECTS warning)
 * @param faults           the injected faults (empty without {@link SampleOptions#injectFaults()})
 */
public record SampleManifest(List<String> classes, Map<String, String> aliases, List<String> goodImageIds,
                             Map<String, Integer> goodObjectCounts, List<InjectedFault> faults) {
    /**
     * One injected fault.
     *
     * @param file        the broken file, relative to the root (e.g. {@code Annotations/fault_xxe.xml})
     * @param imageId     the record's id (the annotation name without .xml; for an orphan image its stem)
     * @param reason      the reason the record must be quarantined with
     * @param reasons     every quarantine reason the record yields (exactly; the primary one first)
     * @param recordKept  whether the image record is in the dataset (with a warning or minus a rejected object)
     * @param keptObjects objects of the record in the dataset (0 when not kept)
     */
    public record InjectedFault(String file, String imageId, QuarantineReason reason, List<QuarantineReason> reasons,
                                boolean recordKept, int keptObjects) {
        public InjectedFault {
            requireNonNull(file, "file");
            requireNonNull(imageId, "imageId");
            requireNonNull(reason, "reason");
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty() || reasons.get(0) != reason) {
                throw new IllegalArgumentException("reasons must start with the primary reason " + reason);
            }
            if (keptObjects < 0 || (!recordKept && keptObjects > 0)) {
                throw new IllegalArgumentException("keptObjects must be >= 0, and 0 for a record that is not kept");
            }
        }
    }

    public SampleManifest {
        classes = List.copyOf(classes);
        aliases = Map.copyOf(aliases);
        goodImageIds = List.copyOf(goodImageIds);
        goodObjectCounts = Map.copyOf(goodObjectCounts);
        faults = List.copyOf(faults);
    }

    /** Objects in the good records. */
    public int goodObjectCount() {
        return goodObjectCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Good records without objects (each yields a NO_OBJECTS warning). */
    public List<String> negativeImageIds() {
        return goodImageIds.stream().filter(id -> goodObjectCounts.get(id) == 0).toList();
    }

    /** Every record id that must come out of prepare: the good ones and the kept faults, sorted. */
    public List<String> keptImageIds() {
        List<String> kept = new ArrayList<>(goodImageIds);
        faults.stream().filter(InjectedFault::recordKept).map(InjectedFault::imageId).forEach(kept::add);
        kept.sort(null);
        return List.copyOf(kept);
    }

    /** Objects in all kept records. */
    public int keptObjectCount() {
        return goodObjectCount() + faults.stream().mapToInt(InjectedFault::keptObjects).sum();
    }

    /** Faults whose whole record must be rejected. */
    public List<InjectedFault> rejectedFaults() {
        return faults.stream().filter(fault -> !fault.recordKept()).toList();
    }

    /** How many quarantine entries of each reason prepare must produce, over the whole dataset. */
    public Map<QuarantineReason, Integer> expectedQuarantineCounts() {
        Map<QuarantineReason, Integer> counts = new TreeMap<>();
        faults.forEach(fault -> fault.reasons().forEach(reason -> counts.merge(reason, 1, Integer::sum)));
        int negatives = negativeImageIds().size();
        if (negatives > 0) {
            counts.merge(QuarantineReason.NO_OBJECTS, negatives, Integer::sum);
        }
        return counts;
    }
}
