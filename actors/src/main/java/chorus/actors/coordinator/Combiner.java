package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.coordinator.step.StepFailure;
import chorus.actors.coordinator.step.StepOutcome;
import chorus.actors.coordinator.step.StepRun;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerProtocol;
import chorus.data.Batch;
import chorus.models.check.Checks;
import chorus.models.objective.Objective;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** Tell {@code replyTo} about every worker node lost from now on (the trainer pauses, or stops, on it). */
    public record WatchNodes(ActorRef<NodeLost> replyTo) implements Command {
    }

    /**
     * A worker node is gone: its {@code role}, the {@code message} naming it by role, modalities and address, the
     * indices of the {@code modalities} it hosted and their {@code workers} (dead now: a new node's are others).
     */
    public record NodeLost(String role, String message, List<Integer> modalities, List<String> names,
                           Set<ActorRef<?>> workers) {
    }

    /**
     * The workers of a node that replaces a lost one, by modality index, already loaded like every other worker
     * (the trainer's restore point); once no node is missing, steps run again. Only while no step runs.
     */
    public record Replace(Map<Integer, ActorRef<EncoderWorker.Command>> encoders,
                          Map<Integer, ActorRef<DecoderWorker.Command>> decoders) implements Command {
    }

    /** Where a modality's workers run when a worker node hosts them: the node's role, description and modality names. */
    public record Hosted(String role, String node, List<String> names) {
    }

    /** A worker on another node stopped: its node (described by role and modalities) left the cluster or was downed. */
    private record WorkerLost(String role, String node) implements Command {
    }

    private StepRun.Workers workers;
    private final Map<Integer, Hosted> nodes;
    private final Map<Long, StepRun> running = new HashMap<>();
    private final Map<String, String> lost = new LinkedHashMap<>(); // role → why no step runs (gone, not replaced)
    private ActorRef<NodeLost> watcher;

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
     * @param nodes      modality index → the worker node hosting its workers (empty: all here)
     */
    public record Setup(List<ActorRef<EncoderWorker.Command>> encoders,
                        List<ActorRef<DecoderWorker.Command>> decoders,
                        Objective objective, int latent,
                        DataType dtype, int maxRetries, Map<Integer, Hosted> nodes) {

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
        this.nodes = Map.copyOf(s.nodes());
        for (int j = 0; j < s.encoders().size(); j++) {
            watchIfRemote(j, s.encoders().get(j));
            watchIfRemote(j, s.decoders().get(j));
        }
    }

    /**
     * A worker here is supervised and never stops while the system runs; one on a worker node stops for
     * the coordinator when its node leaves or is downed, and then no step can finish.
     */
    private void watchIfRemote(int modality, ActorRef<?> worker) {
        if (worker.path().address().hasGlobalScope()) {
            Hosted h = nodes.getOrDefault(modality, new Hosted("?", "the worker node of modality " + modality, List.of()));
            getContext().watchWith(worker, new WorkerLost(h.role(), h.node() + " at " + worker.path().address()));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Step.class, this::onStep)
                .onMessage(FromWorker.class, this::onReply)
                .onMessage(WorkerLost.class, this::onWorkerLost)
                .onMessage(WatchNodes.class, msg -> {
                    watcher = msg.replyTo();
                    return this;
                })
                .onMessage(Replace.class, this::onReplace)
                .build();
    }

    private Behavior<Command> onStep(Step msg) {
        long step = msg.batch().step();
        if (!lost.isEmpty()) {
            msg.replyTo().tell(new StepFailure(step, lost.values().iterator().next()));
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

    /**
     * A worker node is gone: every running and later step fails (naming it) until a node replaces it. The watcher
     * (the trainer) hears of it first, so it knows why those steps fail; without one the combiner logs it.
     */
    private Behavior<Command> onWorkerLost(WorkerLost msg) {
        if (lost.containsKey(msg.role())) {
            return this; // its node's other workers
        }
        String gone = msg.node() + " is gone (it left the cluster, or stopped answering and was downed)";
        String why = gone + "; resume from the last checkpoint once every worker node runs again";
        lost.put(msg.role(), why);
        List<Integer> hosted = nodes.entrySet().stream().filter(e -> e.getValue().role().equals(msg.role()))
                .map(Map.Entry::getKey).sorted().toList();
        Set<ActorRef<?>> dead = new HashSet<>();
        hosted.forEach(j -> {
            dead.add(workers.encoders().get(j));
            dead.add(workers.decoders().get(j));
        });
        if (watcher != null) {
            watcher.tell(new NodeLost(msg.role(), gone, hosted, hosted.isEmpty() ? List.of() : nodes.get(hosted.get(0)).names(),
                    Set.copyOf(dead)));
        } else if (running.isEmpty()) { // e.g. the run finished and the worker node stops with the coordinator
            getContext().getLog().info("{} left the cluster", msg.node());
        } else {
            getContext().getLog().error(why);
        }
        for (long step : running.keySet().stream().sorted().toList()) {
            running.remove(step).fail("step " + step + ": " + why);
        }
        return this;
    }

    /** A new node's workers take the lost node's places (watched like the first); with no node missing, steps run. */
    private Behavior<Command> onReplace(Replace msg) {
        if (!running.isEmpty()) {
            throw new IllegalStateException("combiner: workers replaced while steps " + running.keySet() + " run");
        }
        List<ActorRef<EncoderWorker.Command>> enc = new ArrayList<>(workers.encoders());
        List<ActorRef<DecoderWorker.Command>> dec = new ArrayList<>(workers.decoders());
        msg.encoders().forEach(enc::set);
        msg.decoders().forEach(dec::set);
        workers = workers.with(List.copyOf(enc), List.copyOf(dec));
        msg.encoders().forEach(this::watchIfRemote);
        msg.decoders().forEach(this::watchIfRemote);
        msg.encoders().keySet().forEach(j -> lost.remove(nodes.get(j).role()));
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
