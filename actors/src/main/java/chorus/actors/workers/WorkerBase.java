package chorus.actors.workers;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import chorus.models.check.Checks;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What encoder and decoder workers share: the network state that survives restarts, the commit / abort /
 * snapshot handlers, and the failure guard that tells the combiner which step failed before the
 * exception reaches supervision (which restarts the worker from its committed parameters).
 */
abstract class WorkerBase<C> extends AbstractBehavior<C> {

    protected final WorkerId id;
    protected final String modalityName;
    protected final WorkerNetwork net;
    private final WorkerHooks hooks;
    private final Placement.Device device;

    /**
     * {@code worker} restarted on every failure. NaN/Inf restarts it without logging the exception: the
     * {@link WorkerProtocol.Failed} already names the worker, modality and step, the run stops on it, and a
     * stack trace would only bury that line.
     */
    static <C> Behavior<C> supervised(Behavior<C> worker) {
        Behavior<C> quietOnNaN = Behaviors.supervise(worker)
                .onFailure(Checks.NonFiniteException.class, SupervisorStrategy.restart().withLoggingEnabled(false));
        return Behaviors.supervise(quietOnNaN).onFailure(RuntimeException.class, SupervisorStrategy.restart());
    }

    WorkerBase(ActorContext<C> ctx, WorkerId id, String modalityName, WorkerNetwork net, Placement.Device device,
               WorkerHooks hooks) {
        super(ctx);
        this.id = id;
        this.modalityName = modalityName;
        this.net = net;
        this.device = device;
        this.hooks = hooks;
    }

    /**
     * Runs {@code phase} of {@code step}, timing it; if it throws, reports {@link WorkerProtocol.Failed}
     * to {@code replyTo} and rethrows so that supervision restarts this worker.
     */
    protected final <T> T guard(String phase, long step, int attempt, ActorRef<WorkerProtocol.Reply> replyTo,
                                Supplier<T> work) {
        long t0 = System.nanoTime();
        try {
            device.attachCurrentThread();
            hooks.faults().before(id, phase, step, attempt);
            T result = work.get();
            net.busy(step, System.nanoTime() - t0);
            return result;
        } catch (RuntimeException e) {
            // NaN/Inf (a worker's own check or one inside the models): a retry would only repeat it
            boolean retryable = !(e instanceof Checks.NonFiniteException);
            replyTo.tell(new WorkerProtocol.Failed(step, attempt, id, describe(e), retryable));
            throw e;
        }
    }

    /**
     * The parameter gradient as the reply carries it: the array itself when the hooks ask for it (a worker in
     * the combiner's JVM: a reference, free; the step's report hands it to tests) or for a replica (its router
     * sums them), else null: nothing the commit needs, and from a worker on another node it would cost the
     * network a copy of the parameters every step.
     */
    protected final INDArray reported(INDArray grad) {
        return hooks.reportGradients() ? grad : null;
    }

    protected Behavior<C> onCommit(WorkerProtocol.Commit msg) {
        var applied = guard("commit", msg.step(), -1, msg.replyTo(),
                () -> net.commit(msg.step(), msg.iteration(), id.toString()));
        for (WorkerNetwork.Applied a : applied) {
            msg.replyTo().tell(new WorkerProtocol.Applied(a.step(), id, a.staleness(), a.busyNanos()));
        }
        return this;
    }

    protected Behavior<C> onSummedGradient(WorkerProtocol.SummedGradient msg) {
        net.summed(msg.step(), msg.grad());
        return this;
    }

    protected Behavior<C> onAbort(WorkerProtocol.Abort msg) {
        net.discard(msg.step());
        return this;
    }

    protected Behavior<C> onSnapshot(WorkerProtocol.Snapshot msg) {
        msg.replyTo().tell(new WorkerState(id, net.master().params(), net.master().updaterState()));
        return this;
    }

    protected Behavior<C> onLoad(WorkerProtocol.Load msg) {
        String error = null;
        try {
            net.load(msg.params(), msg.updaterState());
        } catch (RuntimeException e) { // a state of another architecture: the network is left as it was
            error = describe(e);
        }
        msg.replyTo().tell(new WorkerProtocol.Loaded(id, error));
        return this;
    }

    private String describe(RuntimeException e) {
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return id.role().name().toLowerCase() + " of modality '" + modalityName + "': " + what;
    }
}
