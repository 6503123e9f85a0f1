package chorus.actors.coordinator;

import chorus.models.objective.KlAnnealing;

/**
 * The trainer's schedule.
 *
 * @param startStep       the first step (0, or a resumed checkpoint's step)
 * @param endStep         the step to stop at (exclusive)
 * @param inFlight        batches whose steps may overlap (1: synchronous, the reference model's updates)
 * @param maxStaleness    a step starts only when every step more than this many older has finished, which
 *                        bounds how many updates an applied gradient may lag
 * @param annealing       beta per step
 * @param evalEvery       steps between evaluations (0: only at the end)
 * @param checkpointEvery steps between checkpoints (0: only at the end)
 */
public record TrainPlan(long startStep, long endStep, int inFlight, int maxStaleness, KlAnnealing annealing,
                        int evalEvery, int checkpointEvery) {

    public TrainPlan {
        if (startStep < 0 || endStep < startStep) {
            throw new IllegalArgumentException("train plan: steps " + startStep + " to " + endStep
                    + ", expected 0 <= start <= end");
        }
        if (inFlight < 1 || maxStaleness < 0 || evalEvery < 0 || checkpointEvery < 0) {
            throw new IllegalArgumentException("train plan: in-flight " + inFlight + ", max-staleness " + maxStaleness
                    + ", eval-every " + evalEvery + ", checkpoint-every " + checkpointEvery
                    + "; expected in-flight >= 1 and the others >= 0");
        }
    }

    /** A synchronous plan without evaluations or checkpoints between start and end. */
    public static TrainPlan synchronous(long startStep, long endStep, KlAnnealing annealing) {
        return new TrainPlan(startStep, endStep, 1, 0, annealing, 0, 0);
    }
}
