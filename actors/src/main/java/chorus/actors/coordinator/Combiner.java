package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerProtocol;
import chorus.data.Batch;
import chorus.models.check.Checks;
import chorus.models.objective.Objective;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The posterior-combining actor: for each step it gathers the experts from the encoders that have rows,
 * forms every term's posterior through the objective's stage, sends each decoder ONE fused request,
 * backpropagates their dL/dz into the experts, commits the step's updates and reports. Several steps
 * may be in flight; each has its own {@link StepRun}, and a worker's failure retries only its step.
 */
public final class Combiner extends AbstractBehavior<Combiner.Command> {

    /** What the combiner accepts. */
    public sealed interface Command extends CoordinatorLocal {
    }

    /** Run one step on {@code batch} with KL weight {@code beta}; reply once every update is applied. */
    public record Step(Batch batch, double beta, int iteration, ActorRef<StepOutcome> replyTo) implements Command {
    }

    private record FromWorker(WorkerProtocol.Reply reply) implements Command {
    }

    /** A worker on another node stopped: its node (described by role and modalities) left the cluster or was downed. */
    private record WorkerLost(String node) implements Command {
    }

    private final StepRun.Workers workers;
    private final Map<Long, StepRun> running = new HashMap<>();
    private String lost; // why no step can run any more (a remote worker is gone), or null

    /** A combiner for the workers' settings; its replies adapter is created here. */
    public static Behavior<Command> create(Setup setup) {
        return Behaviors.setup(ctx -> new Combiner(ctx, setup));
    }

    /**
     * What the combiner needs.
     *
     * @param encoders   one per modality, in modality order
     * @param decoders   one per modality, in modality order
     * @param latent     latent dimensions D (for the placeholder expert of a modality with no rows)
     * @param maxRetries attempts after the first before a failing step stops the run
     * @param nodes      modality index → the worker node hosting its workers, by role and modalities (empty: all here)
     */
    public record Setup(List<ActorRef<EncoderWorker.Command>> encoders,
                        List<ActorRef<DecoderWorker.Command>> decoders,
                        Objective objective, int latent,
                        DataType dtype, int maxRetries, Map<Integer, String> nodes) {

        /** Every worker in this JVM. */
        public Setup(List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                     Objective objective, int latent, DataType dtype, int maxRetries) {
            this(encoders, decoders, objective, latent, dtype, maxRetries, Map.of());
        }
    }

    private Combiner(ActorContext<Command> ctx, Setup s) {
        super(ctx);
        this.workers = new StepRun.Workers(List.copyOf(s.encoders()), List.copyOf(s.decoders()),
                s.objective(), s.latent(), s.dtype(), s.maxRetries(),
                ctx.messageAdapter(WorkerProtocol.Reply.class, FromWorker::new));
        for (int j = 0; j < s.encoders().size(); j++) {
            String node = s.nodes().getOrDefault(j, "the worker node of modality " + j);
            watchIfRemote(ctx, s.encoders().get(j), node);
            watchIfRemote(ctx, s.decoders().get(j), node);
        }
    }

    /**
     * A worker here is supervised and never stops while the system runs; one on a worker node stops for
     * the coordinator when its node leaves or is downed, and then no step can finish.
     */
    private static void watchIfRemote(ActorContext<Command> ctx, ActorRef<?> worker, String node) {
        if (worker.path().address().hasGlobalScope()) {
            ctx.watchWith(worker, new WorkerLost(node + " at " + worker.path().address()));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Step.class, this::onStep)
                .onMessage(FromWorker.class, this::onReply)
                .onMessage(WorkerLost.class, this::onWorkerLost)
                .build();
    }

    private Behavior<Command> onStep(Step msg) {
        long step = msg.batch().step();
        if (lost != null) {
            msg.replyTo().tell(new StepFailure(step, lost));
            return this;
        }
        if (running.containsKey(step)) {
            throw new IllegalStateException("combiner: step " + step + " is already running");
        }
        StepRun run = new StepRun(workers, msg.batch(), msg.beta(), msg.iteration(), msg.replyTo());
        running.put(step, run);
        return advance(step, StepRun::start);
    }

    private Behavior<Command> onReply(FromWorker msg) {
        WorkerProtocol.Reply r = msg.reply();
        StepRun run = running.get(r.step());
        if (run == null || (r.attempt() >= 0 && r.attempt() != run.attempt())) {
            return this; // a reply of an aborted attempt, or of a step already failed
        }
        if (r instanceof WorkerProtocol.Expert e) {
            return advance(r.step(), s -> s.onExpert(e));
        } else if (r instanceof WorkerProtocol.LogLikelihoods l) {
            return advance(r.step(), s -> s.onLogLikelihoods(l));
        } else if (r instanceof WorkerProtocol.Decoded d) {
            return advance(r.step(), s -> s.onDecoded(d));
        } else if (r instanceof WorkerProtocol.Backpropagated b) {
            return advance(r.step(), s -> s.onBackpropagated(b));
        } else if (r instanceof WorkerProtocol.Computed c) {
            return advance(r.step(), s -> s.onComputed(c));
        } else if (r instanceof WorkerProtocol.Applied a) {
            return advance(r.step(), s -> s.onApplied(a));
        } else {
            WorkerProtocol.Failed f = (WorkerProtocol.Failed) r;
            getContext().getLog().warn("step {}: {} failed: {}", f.step(), f.worker(), f.message());
            return advance(r.step(), s -> s.onFailed(f));
        }
    }

    private Behavior<Command> onWorkerLost(WorkerLost msg) {
        if (lost != null) {
            return this; // its node's other workers, or another node: the run cannot go on either way
        }
        lost = msg.node() + " is gone (it left the cluster, or stopped answering and was downed); resume from the last"
                + " checkpoint once every worker node runs again";
        if (running.isEmpty()) { // e.g. the run finished and the worker node stops with the coordinator: no failure
            getContext().getLog().info("{} left the cluster", msg.node());
        } else {
            getContext().getLog().error(lost);
        }
        for (long step : running.keySet().stream().sorted().toList()) {
            running.remove(step).fail("step " + step + ": " + lost);
        }
        return this;
    }

    private Behavior<Command> advance(long step, Predicate<StepRun> action) {
        StepRun run = running.get(step);
        boolean finished;
        try {
            finished = action.test(run);
        } catch (RuntimeException e) { // the step's own math, e.g. a product of experts overflowing
            if (!(e instanceof Checks.NonFiniteException)) { // NaN/Inf: the trainer's one line says it all
                getContext().getLog().error("step {}: the combiner's computation failed", step, e);
            }
            finished = run.fail("step " + step + ": the combiner's computation failed: " + e.getMessage());
        }
        if (finished) {
            running.remove(step);
            if (run.failed()) {
                abandonStepsAfter(step);
            }
        }
        return this;
    }

    /**
     * A step that failed for good leaves the later running steps without an end: the workers apply updates
     * in step order, so a later step's commit may wait behind the failed one, where nothing will apply it.
     */
    private void abandonStepsAfter(long failed) {
        for (long later : running.keySet().stream().filter(s -> s > failed).sorted().toList()) {
            running.remove(later).fail("step " + later + " abandoned: step " + failed + " before it failed");
        }
    }
}
