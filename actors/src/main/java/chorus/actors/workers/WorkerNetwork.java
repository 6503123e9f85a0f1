package chorus.actors.workers;

import chorus.models.nn.Network;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A worker's network state, kept outside the actor's behaviour so that a supervision restart finds it
 * intact: the master network (parameters and optimizer state, changed only by {@link #commit}), the
 * network each in-flight step forwards on (a network holds one batch of activations, so a step that
 * overlaps another forwards on its own copy, loaded with the master's parameters at forward time; a
 * step alone in flight forwards on the master itself), and the computed gradients awaiting their commit.
 *
 * <p>Updates are applied in step order: a committed step waits until every earlier step this worker
 * has forwarded is applied. With the trainer's window (no step starts before every step S+1 older has
 * finished) that bounds each applied gradient's staleness — the updates applied between its forward
 * and its own — by S.
 */
final class WorkerNetwork {

    /** One in-flight step: its replica (until backward), the master version it read, its gradient. */
    private static final class Slot {
        Network replica;
        final long versionAtForward;
        INDArray grad;          // [1, P]; null until computed, or when the network did not run
        boolean computed;
        int iteration = -1;     // set by commit
        long busyNanos;

        Slot(Network replica, long versionAtForward) {
            this.replica = replica;
            this.versionAtForward = versionAtForward;
        }
    }

    /** An update that failed and was rolled back; {@code step} is the step whose update it was. */
    static final class UpdateFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long step;

        UpdateFailed(long step, RuntimeException cause) {
            super("the update of step " + step + " failed and was undone (parameters and optimizer state as before it): "
                    + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()), cause);
            this.step = step;
        }

        long step() {
            return step;
        }
    }

    /** A step whose update was applied: how many updates it lagged, and the worker time it took (forward, backward, update). */
    record Applied(long step, long staleness, long busyNanos, INDArray grad) {
    }

    private final Network master;
    private final boolean freeApplied;
    private final Deque<Network> free = new ArrayDeque<>();
    private final TreeMap<Long, Slot> slots = new TreeMap<>();
    private long version;
    private long appliedUpTo = -1; // the last step whose update was applied (updates go in step order)
    private INDArray undoParams;   // [1, P] the parameters before the update being applied
    private INDArray undoState;    // the optimizer state before it

    WorkerNetwork(Network master) {
        this(master, false);
    }

    /**
     * @param freeApplied whether a gradient is this worker's alone, so its memory is released as soon as it is
     *                    applied rather than when the collector finds it (a worker that reports its gradients
     *                    has sent them on, and their readers keep them)
     */
    WorkerNetwork(Network master, boolean freeApplied) {
        this.master = master;
        this.freeApplied = freeApplied;
    }

    /**
     * The network {@code step} forwards on, holding the master's current parameters (replacing a retried
     * attempt's): the master itself when no other step is in flight — the synchronous case, which so copies
     * no parameters — else a replica loaded from it.
     */
    Network forward(long step) {
        discard(step);
        Network replica = master;
        if (!slots.isEmpty()) {
            replica = free.isEmpty() ? master.copy() : free.pop();
            replica.setParams(master.params());
        }
        slots.put(step, new Slot(replica, version));
        return replica;
    }

    /** Records {@code step}'s parameter gradient (null: the network did not run) and frees its replica. */
    void computed(long step, INDArray grad) {
        Slot s = slots.get(step);
        s.grad = grad;
        s.computed = true;
        release(s);
    }

    /**
     * Replaces {@code step}'s gradient with {@code grad}, the sum over the modality's replicas; a replica that
     * had no rows of the step gets its slot here (it read the current master, like a forward would). A sum
     * meeting a forward that awaits its backward belongs to an aborted attempt and is dropped; one meeting a
     * retry's computed gradient is that retry's own sum (a retry computes exactly what its attempt did).
     */
    void summed(long step, INDArray grad) {
        Slot s = slots.computeIfAbsent(step, k -> new Slot(null, version));
        if (s.replica != null) {
            return;
        }
        s.grad = grad;
        s.computed = true;
    }

    /** Adds worker time spent on {@code step} (for the reporter's wait figures). */
    void busy(long step, long nanos) {
        Slot s = slots.get(step);
        if (s != null) {
            s.busyNanos += nanos;
        }
    }

    /**
     * Marks {@code step} committed and applies every committed update at the head of the step order, each as
     * one transaction ({@link #applyWhole}), telling {@code applied} about each as soon as it is in. A commit of
     * a step this network already applied (a retried commit whose update went in meanwhile) does nothing.
     *
     * @param check called after each update, before it is accepted (tests inject failures there)
     * @throws UpdateFailed if an update failed: the master is as before it, and that step stays first in the
     *                      order, committed, so the next commit (of it, or of a later step) applies it again
     */
    void commit(long step, int iteration, String who, LongConsumer check, Consumer<Applied> applied) {
        Slot s = slots.get(step);
        if (s == null && step <= appliedUpTo) {
            return;
        }
        if (s == null || !s.computed) {
            throw new IllegalStateException(who + ": commit for step " + step + " before its gradient was computed");
        }
        s.iteration = iteration;
        while (!slots.isEmpty() && slots.firstEntry().getValue().iteration >= 0) {
            Map.Entry<Long, Slot> head = slots.firstEntry();
            Slot h = head.getValue();
            long staleness = version - h.versionAtForward; // updates applied since this step read the parameters
            if (h.grad != null) {
                long t0 = System.nanoTime();
                applyWhole(head.getKey(), h, check);
                if (freeApplied) {
                    master.recycleGradient(h.grad); // the next backward fills it (or it is released)
                    h.grad = null; // nobody may read it
                }
                h.busyNanos += System.nanoTime() - t0; // the update is this step's work too (the guard cannot add it: the slot is gone)
                version++;
            }
            slots.pollFirstEntry();
            appliedUpTo = head.getKey();
            applied.accept(new Applied(head.getKey(), staleness, h.busyNanos, h.grad));
        }
    }

    /**
     * Applies {@code h}'s update whole or not at all: the parameters and optimizer state as they were are kept
     * (by the update's own pass, {@link Network#applyGradient(INDArray, int, int, INDArray, INDArray)}) and put
     * back if the update (or {@code check}) throws, so a failure never leaves them half updated and a retry
     * applies exactly the update an uninterrupted run applies.
     */
    private void applyWhole(long step, Slot h, LongConsumer check) {
        if (undoParams == null) { // kept and reused: a fresh copy per update cost its pages every step
            undoParams = master.params();         // [1, P]
            undoState = master.updaterState();    // [1, 2P] for Adam
        }
        try {
            master.applyGradient(h.grad, h.iteration, 0, undoParams, undoState);
            check.accept(step);
        } catch (RuntimeException e) {
            master.setParams(undoParams);
            master.setUpdaterState(undoState);
            throw new UpdateFailed(step, e);
        }
    }

    /** Forgets {@code step} (an aborted attempt): its replica returns to the pool, nothing is applied. */
    void discard(long step) {
        Slot s = slots.remove(step);
        if (s != null) {
            release(s);
        }
    }

    /**
     * Replaces the master's parameters {@code [1, P]} and optimizer state; only while no step is in flight,
     * and only with a state of this network's size and data type (checked before anything changes).
     */
    void load(INDArray params, INDArray updaterState) {
        if (!slots.isEmpty()) {
            throw new IllegalStateException("load while steps " + slots.keySet() + " are in flight");
        }
        INDArray current = master.updaterState();
        if (params.dataType() != master.dataType() || updaterState.dataType() != master.dataType()) {
            throw new IllegalArgumentException("state to load is " + params.dataType() + "/" + updaterState.dataType()
                    + ", this network is " + master.dataType());
        }
        if (params.length() != master.numParams() || updaterState.length() != current.length()) {
            throw new IllegalArgumentException("state to load has " + params.length() + " parameters and "
                    + updaterState.length() + " optimizer values, this network " + master.numParams() + " and "
                    + current.length() + " (a different architecture)");
        }
        master.setParams(params);
        master.setUpdaterState(updaterState);
    }

    /** Updates applied so far. */
    long version() {
        return version;
    }

    /** The master network (read its parameters; only {@link #commit} changes it). */
    Network master() {
        return master;
    }

    private void release(Slot s) {
        if (s.replica != null) {
            s.replica.discardForward();
            if (s.replica != master) {
                free.push(s.replica);
            }
            s.replica = null;
        }
    }
}
