package chorus.actors.workers;

import akka.actor.typed.ActorRef;
import chorus.models.posterior.Gaussian;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The messages every encoder and decoder worker understands besides its own forward/backward requests,
 * and every reply a worker sends (one type, so the combiner needs one adapter). Each request carries the
 * step and the attempt (a retried step has a new attempt; replies of an old attempt are ignored).
 */
public final class WorkerProtocol {

    private WorkerProtocol() {
    }

    /** Apply {@code step}'s computed update (in step order, after every earlier forwarded step). */
    public record Commit(long step, int iteration, ActorRef<Reply> replyTo)
            implements EncoderWorker.Command, DecoderWorker.Command {
    }

    /**
     * A replica's share of {@code step} is in: take {@code grad} {@code [1, P]}, the sum of every replica's
     * parameter gradient, as the step's gradient (a replica given no rows of the step gets it too), so every
     * replica applies the same update at the commit. Sent by the {@code ReplicaRouter} before it answers.
     */
    public record SummedGradient(long step, INDArray grad) implements EncoderWorker.Command, DecoderWorker.Command {
    }

    /** Forget {@code step}'s forward and gradient: the attempt was abandoned and will be retried. */
    public record Abort(long step) implements EncoderWorker.Command, DecoderWorker.Command {
    }

    /** A copy of the parameters and optimizer state. */
    public record Snapshot(ActorRef<WorkerState> replyTo) implements EncoderWorker.Command, DecoderWorker.Command {
    }

    /**
     * Replace the parameters {@code [1, P]} and optimizer state of the worker's network (a checkpoint, or the
     * coordinator's model for a worker on another node); only between steps. Answered with {@link Loaded}.
     */
    public record Load(INDArray params, INDArray updaterState, ActorRef<Loaded> replyTo)
            implements EncoderWorker.Command, DecoderWorker.Command {
    }

    /** The answer to {@link Load}: {@code error} is null when the state was loaded, else why not (nothing changed). */
    public record Loaded(WorkerId worker, String error) {
    }

    /** What a worker sends back. */
    public sealed interface Reply permits Expert, LogLikelihoods, Decoded, Backpropagated, Computed, Applied, Failed {
        long step();

        /** The attempt the reply belongs to; -1 for replies that hold for any attempt (commits). */
        default int attempt() {
            return -1;
        }
    }

    /** Encoder {@code modality}'s expert over the whole batch {@code [B, D]}. */
    public record Expert(long step, int attempt, int modality, Gaussian expert) implements Reply {
    }

    /**
     * A decoder's answer to a request without coefficients (the first phase of a two-phase objective): the
     * per-row log-likelihoods {@code [R]}; the decoder keeps its forward until the coefficients come.
     */
    public record LogLikelihoods(long step, int attempt, int modality, INDArray logProb) implements Reply {
    }

    /**
     * A decoder's answer to a request with its coefficients, scored and backpropagated in one: per-row
     * log-likelihoods {@code [R]}, dL/dz {@code [R, D]} and the parameter gradient dL/dθ {@code [1, P]} (null
     * unless the worker's hooks report gradients).
     */
    public record Decoded(long step, int attempt, int modality, INDArray logProb, INDArray dz, INDArray grad)
            implements Reply {
    }

    /**
     * A decoder's answer to the coefficients of a two-phase request: dL/dz {@code [R, D]} and the parameter
     * gradient dL/dθ {@code [1, P]} (null unless the worker's hooks report gradients).
     */
    public record Backpropagated(long step, int attempt, int modality, INDArray dz, INDArray grad) implements Reply {
    }

    /**
     * The worker computed its parameter gradient {@code [1, P]} for {@code step}; not applied yet. {@code grad} is null
     * when it had no rows, and always from a worker on another node (only local workers report it).
     */
    public record Computed(long step, int attempt, WorkerId worker, INDArray grad) implements Reply {
    }

    /**
     * The worker applied {@code step}'s update; {@code staleness} is the number of this worker's updates
     * applied between the step's forward and its own, {@code busyNanos} the worker time the step took.
     */
    public record Applied(long step, WorkerId worker, long staleness, long busyNanos) implements Reply {
    }

    /**
     * The worker threw while handling {@code step}; it is being restarted from its last committed state.
     * {@code retryable} is false for NaN/Inf, which a retry would only repeat.
     */
    public record Failed(long step, int attempt, WorkerId worker, String message, boolean retryable) implements Reply {
    }
}
