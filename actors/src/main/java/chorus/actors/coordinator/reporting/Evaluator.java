package chorus.actors.coordinator.reporting;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.data.Dataset;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.nn.Network;
import chorus.models.objective.Objective;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Evaluates parameter snapshots beside training: the test-set terms of the objective (forward passes on
 * its own copy of the model) and then the {@link Hook} (e.g. sample grids and further metrics). The work runs on Akka's
 * blocking dispatcher, so the evaluator always answers; a snapshot that arrives while one is being
 * evaluated waits, and a newer one replaces it — training never waits for an evaluation.
 */
public final class Evaluator extends AbstractBehavior<Evaluator.Command> {

    /** What the evaluator accepts. */
    public sealed interface Command extends CoordinatorLocal {
    }

    /** Evaluate the parameters after {@code step}: every worker's state (any order). */
    public record Evaluate(long step, List<WorkerState> states) implements Command {
    }

    /** Reply once no evaluation is running or waiting. */
    public record Flush(ActorRef<Flushed> replyTo) implements Command {
    }

    /** Every requested evaluation that was not replaced has finished. */
    public enum Flushed { INSTANCE }

    private record Finished(long step, Evaluation result, long nanos, Throwable error) implements Command {
    }

    private record Evaluation(TestElbo.Result elbo, Map<String, Double> metrics) {
    }

    /**
     * Called after each evaluation with the evaluated model and its test terms (on the evaluation thread; do
     * not keep the model); returns further metrics by name for the log line and the metrics file (may be empty).
     */
    @FunctionalInterface
    public interface Hook {
        Map<String, Double> evaluated(long step, MultimodalVae model, TestElbo.Result elbo) throws Exception;
    }

    /**
     * What to evaluate on.
     *
     * @param limit test rows per evaluation (0: all)
     * @param input how a test batch becomes the model's input ({@code ModelFactory.input})
     */
    public record Settings(Dataset test, Objective objective, int batchSize, int limit, Hook hook,
                           UnaryOperator<Batch> input) {

        /** Settings for a model that reads the dataset's batches as they are. */
        public Settings(Dataset test, Objective objective, int batchSize, int limit, Hook hook) {
            this(test, objective, batchSize, limit, hook, UnaryOperator.identity());
        }
    }

    private final MultimodalVae model;
    private final Settings s;
    private final ActorRef<Reporter.Command> reporter;
    private final Executor executor;
    private Evaluate waiting;
    private boolean running;
    private final List<ActorRef<Flushed>> flushes = new ArrayList<>();

    /** An evaluator owning {@code model} (a copy: its parameters are overwritten by each snapshot). */
    public static Behavior<Command> create(MultimodalVae model, Settings settings, ActorRef<Reporter.Command> reporter) {
        return Behaviors.setup(ctx -> new Evaluator(ctx, model, settings, reporter));
    }

    private Evaluator(ActorContext<Command> ctx, MultimodalVae model, Settings s, ActorRef<Reporter.Command> reporter) {
        super(ctx);
        this.model = model;
        this.s = s;
        this.reporter = reporter;
        this.executor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Evaluate.class, this::onEvaluate)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(Flush.class, this::onFlush)
                .build();
    }

    private Behavior<Command> onEvaluate(Evaluate msg) {
        if (running) {
            if (waiting != null) {
                getContext().getLog().info("evaluation of step {} skipped: step {} is newer", waiting.step(), msg.step());
            }
            waiting = msg;
        } else {
            launch(msg);
        }
        return this;
    }

    private void launch(Evaluate msg) {
        running = true;
        CompletableFuture<Evaluation> work = CompletableFuture.supplyAsync(() -> evaluate(msg), executor);
        long t0 = System.nanoTime();
        getContext().pipeToSelf(work, (result, error) -> new Finished(msg.step(), result, System.nanoTime() - t0, error));
    }

    private Evaluation evaluate(Evaluate msg) {
        for (WorkerState st : msg.states()) {
            List<Network> nets = st.worker().role() == WorkerId.Role.ENCODER ? model.encoders() : model.decoders();
            nets.get(st.worker().modality()).setParams(st.params());
        }
        TestElbo.Result r = TestElbo.evaluate(model, s.objective(), s.test(), s.batchSize(), s.limit(), s.input());
        try {
            return new Evaluation(r, Map.copyOf(s.hook().evaluated(msg.step(), model, r)));
        } catch (Exception e) {
            throw new IllegalStateException("evaluation hook after step " + msg.step() + ": " + e.getMessage(), e);
        }
    }

    private Behavior<Command> onFinished(Finished msg) {
        running = false;
        if (msg.error() != null) {
            getContext().getLog().error("evaluation after step {} failed: {}", msg.step(), msg.error().getMessage());
        } else {
            reporter.tell(new Reporter.Evaluated(msg.step(), msg.result().elbo(), msg.result().metrics(), msg.nanos()));
        }
        if (waiting != null) {
            Evaluate next = waiting;
            waiting = null;
            launch(next);
        } else {
            flushes.forEach(f -> f.tell(Flushed.INSTANCE));
            flushes.clear();
        }
        return this;
    }

    private Behavior<Command> onFlush(Flush msg) {
        if (running || waiting != null) {
            flushes.add(msg.replyTo());
        } else {
            msg.replyTo().tell(Flushed.INSTANCE);
        }
        return this;
    }
}
