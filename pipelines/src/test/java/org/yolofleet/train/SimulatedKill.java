package org.yolofleet.train;

/**
 * A {@link TrainingObserver} that ends a run as a killed driver would: it throws {@link Killed} once the run has trained
 * {@code epochs} epochs or {@code rounds} averaging rounds, after what was written by then (checkpoints, the mid-epoch
 * checkpoint) and before anything later.
 */
final class SimulatedKill implements TrainingObserver {
    /** The simulated kill. */
    static final class Killed extends RuntimeException {
        Killed(String where) {
            super("killed (simulated) " + where);
        }
    }

    private final int epochs;
    private final int rounds;

    private SimulatedKill(int epochs, int rounds) {
        this.epochs = epochs;
        this.rounds = rounds;
    }

    /** Killed once epoch {@code epoch}'s checkpoint is written. */
    static SimulatedKill afterEpoch(int epoch) {
        return new SimulatedKill(epoch, Integer.MAX_VALUE);
    }

    /** Killed after the run's {@code rounds}-th averaging round (and its mid-epoch checkpoint, if one was due). */
    static SimulatedKill afterRounds(int rounds) {
        return new SimulatedKill(Integer.MAX_VALUE, rounds);
    }

    @Override
    public void roundTrained(int epoch, int roundsTrained) {
        if (roundsTrained >= rounds) {
            throw new Killed("after round " + roundsTrained + " in epoch " + epoch);
        }
    }

    @Override
    public void epochCheckpointed(EpochMetrics metrics) {
        if (metrics.epoch() >= epochs) {
            throw new Killed("after epoch " + metrics.epoch());
        }
    }
}
