package chorus.actors.coordinator;

import chorus.actors.coordinator.step.StepReport;
import chorus.data.BatchIterator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The trainer's step bookkeeping: the steps requested or running, what each launched step's report needs, the next
 * step to ask a batch for, the steps finished, the data cursor after the last batch taken, and (while a lost worker
 * node can be replaced) the loss each step reported since the restore point, so a redone step is not reported twice.
 * Owned by the trainer actor; no messages.
 */
final class StepWindow {

    /** What the report of a running step needs from its launch. */
    record Launched(int rows, long loaderWaitNanos, double beta) {
    }

    private final TrainPlan plan;
    private final TreeSet<Long> unfinished = new TreeSet<>(); // requested or running
    private final Map<Long, Launched> launched = new HashMap<>();
    private final Deque<Long> requestedAt = new ArrayDeque<>();
    private final Map<Long, Double> reported = new HashMap<>();
    private long nextRequest;
    private long done;
    private BatchIterator.Cursor cursor;

    StepWindow(TrainPlan plan, BatchIterator.Cursor start) {
        this.plan = plan;
        this.cursor = start;
        this.nextRequest = plan.startStep();
    }

    /**
     * Whether another batch may be asked for: fewer than in-flight unfinished steps, none more than max-staleness
     * older than the next, and the first step after an evaluation or checkpoint point only once the steps before it
     * have drained (so the snapshot is taken exactly at the point).
     */
    boolean mayRequest() {
        return nextRequest < plan.endStep() && unfinished.size() < plan.inFlight()
                && (unfinished.isEmpty() || nextRequest - unfinished.first() <= plan.maxStaleness())
                && (unfinished.isEmpty() || !atSnapshotPoint(nextRequest));
    }

    private boolean atSnapshotPoint(long step) {
        return (plan.evalEvery() > 0 && step % plan.evalEvery() == 0)
                || (plan.checkpointEvery() > 0 && step % plan.checkpointEvery() == 0);
    }

    /** A batch was asked for, for the next step. */
    void requested() {
        requestedAt.add(System.nanoTime());
        unfinished.add(nextRequest);
        nextRequest++;
    }

    /** The batch of {@code step} arrived and the step starts with {@code beta}; {@code after} is the cursor after it. */
    void launched(long step, int rows, double beta, BatchIterator.Cursor after) {
        long waited = System.nanoTime() - requestedAt.poll();
        cursor = after;
        launched.put(step, new Launched(rows, waited, beta));
    }

    /** A batch asked for before a pause arrived: dropped (the loader goes back to the restore point). */
    void dropped() {
        requestedAt.poll();
    }

    /** {@code step} ended (reported, failed or dropped); what its launch recorded. */
    Launched ended(long step) {
        unfinished.remove(step);
        return launched.remove(step);
    }

    /** Counts a completed step; false when it was already reported (a step redone after a lost worker node). */
    boolean completed(StepReport r, boolean redoable) {
        done++;
        return !redoable || reported.putIfAbsent(r.step(), r.loss()) == null;
    }

    /** The loss {@code step} reported the first time (a redone step's is checked against it). */
    double firstLoss(long step) {
        return reported.get(step);
    }

    /** A new restore point: the steps before it will not be redone. */
    void restorePoint() {
        reported.clear();
    }

    /** Back to {@code restore}: the next batch asked for is its step's, the steps before it are the ones done. */
    void rewind(RestorePoint restore) {
        nextRequest = restore.step();
        done = restore.step() - plan.startStep();
        cursor = restore.cursor();
        requestedAt.clear();
        launched.clear();
        unfinished.clear();
    }

    boolean idle() {
        return unfinished.isEmpty();
    }

    int inFlight() {
        return unfinished.size();
    }

    /** The oldest unfinished step, or the next one when none is. */
    long oldest() {
        return unfinished.isEmpty() ? nextRequest : unfinished.first();
    }

    /** The step of the next batch to ask for; once drained, the step a snapshot is taken after. */
    long nextRequest() {
        return nextRequest;
    }

    /** Steps finished since the plan's start. */
    long done() {
        return done;
    }

    BatchIterator.Cursor cursor() {
        return cursor;
    }
}
