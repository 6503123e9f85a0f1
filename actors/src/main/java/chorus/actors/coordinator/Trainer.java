package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import chorus.actors.coordinator.reporting.Evaluator;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.coordinator.step.StepFailure;
import chorus.actors.coordinator.step.StepOutcome;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerState;
import chorus.data.BatchIterator;
import java.time.Duration;
import java.util.List;

/**
 * Plans the run: asks the loader for batches, starts steps on the combiner (up to the in-flight window,
 * and never a step S+1 newer than the oldest unfinished one), sets beta from the annealing schedule,
 * reports each finished step, and at evaluation / checkpoint points lets the pipeline drain, takes a
 * snapshot of every worker and hands it to the evaluator and the checkpoint sink. Stops at the last
 * step, on {@link Stop}, or on a failed step or a metrics file that cannot be written (without a checkpoint,
 * so the last good one stays). Every wait on another actor has a timeout.
 *
 * <p>A worker node lost mid-run: with a {@link Rejoin} (the cluster's {@code rejoin-timeout} above zero) the
 * trainer keeps the last snapshot as its {@link RestorePoint} and, on the loss, pauses: the steps in flight fail
 * and are dropped, the loader goes back to the restore point's cursor, and once a node of the lost role has joined,
 * every worker is loaded with the restore point and the steps from it are redone (a redone step is not reported
 * again). Without one, or when no node joins in time, the run stops with its last checkpoint.
 *
 * <p>One behaviour per phase: {@link #running} (filling the window), {@link #draining} (no new steps until
 * those in flight finish, for a snapshot or the end), {@link #snapshotting} (waiting for the workers' states),
 * {@link #paused} (a worker node lost: a {@link Rejoining} child works on it) and {@link #finishing} (flushing the
 * evaluator and closing the metrics file). The step bookkeeping ({@link StepWindow}) is shared.
 */
public final class Trainer {

    /** What the trainer accepts. */
    public sealed interface Command extends CoordinatorLocal {
    }

    /** Finish the steps in flight, write a checkpoint and stop (e.g. on Ctrl-C). */
    public enum Stop implements Command { INSTANCE }

    private record GotBatch(DataLoader.Loaded loaded) implements Command {
    }

    private record GotOutcome(StepOutcome outcome) implements Command {
    }

    private record GotSnapshot(SnapshotGather.Gathered gathered) implements Command {
    }

    private record ReporterClosed(Reporter.Summary summary) implements Command {
    }

    private record ReporterSilent(Throwable cause) implements Command {
    }

    private record ReporterFailed(Reporter.MetricsFailed failed) implements Command {
    }

    private enum EvaluationsDone implements Command { INSTANCE }

    private record GotNodeLost(Combiner.NodeLost lost) implements Command {
    }

    private record GotRejoining(Rejoining.Outcome outcome) implements Command {
    }

    /**
     * How the run ended: the step it stopped at (exclusive: the steps before it all completed; a failed step and
     * those after it are not counted), the data cursor after the last batch taken, totals, and an error or null.
     */
    public record Finished(long endStep, BatchIterator.Cursor cursor, Reporter.Summary summary, String error) {
    }

    /** Persists a drained snapshot (parameters, optimizer state, cursor) after {@code step} steps. */
    @FunctionalInterface
    public interface CheckpointSink {
        void save(long step, BatchIterator.Cursor cursor, List<WorkerState> states) throws Exception;
    }

    /** How long the reporter may take to write its last line and close the metrics file. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /** How long the workers may take to hand in their parameters and optimizer state. */
    private static final Duration SNAPSHOT_TIMEOUT = Duration.ofMinutes(2);

    private final ActorContext<Command> ctx;
    private final TrainPlan plan;
    private Crew crew; // its workers change when a worker node replaces a lost one
    private final CheckpointSink sink;
    private final ActorRef<Finished> replyTo;
    private final ActorRef<DataLoader.Loaded> batchAdapter;
    private final ActorRef<StepOutcome> outcomeAdapter;
    private final StepWindow window;
    private ActorRef<SnapshotGather.Command> gather; // the snapshot being taken, or null
    private RestorePoint restore;                    // the last snapshot, kept while a lost node can be replaced

    public static Behavior<Command> create(TrainPlan plan, Crew crew, BatchIterator.Cursor start, CheckpointSink sink,
                                           ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> new Trainer(ctx, plan, crew, start, sink, replyTo).start());
    }

    private Trainer(ActorContext<Command> ctx, TrainPlan plan, Crew crew, BatchIterator.Cursor start,
                    CheckpointSink sink, ActorRef<Finished> replyTo) {
        this.ctx = ctx;
        this.plan = plan;
        this.crew = crew;
        this.sink = sink;
        this.replyTo = replyTo;
        this.window = new StepWindow(plan, start);
        this.batchAdapter = ctx.messageAdapter(DataLoader.Loaded.class, GotBatch::new);
        this.outcomeAdapter = ctx.messageAdapter(StepOutcome.class, GotOutcome::new);
    }

    private Behavior<Command> start() {
        crew.reporter().tell(new Reporter.Watch(ctx.messageAdapter(Reporter.MetricsFailed.class, ReporterFailed::new)));
        crew.combiner().tell(new Combiner.WatchNodes(ctx.messageAdapter(Combiner.NodeLost.class, GotNodeLost::new)));
        if (plan.startStep() >= plan.endStep()) {
            return finish(null);
        }
        if (crew.rejoin() != null) { // the first restore point: the state the run starts from
            return snapshot(Drain.NONE);
        }
        return fill();
    }

    /** Filling the window: every finished step may let another one start. */
    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(GotBatch.class, this::launch)
                .onMessage(GotOutcome.class, msg -> drained(outcome(msg, Drain.NONE)))
                .onMessageEquals(Stop.INSTANCE, () -> drained(stop(Drain.NONE)))
                .onMessage(ReporterFailed.class, msg -> drained(Drain.NONE.failed(msg.failed().message())))
                .onMessage(GotNodeLost.class, msg -> lose(msg.lost(), Drain.NONE))
                .build();
    }

    /** No new steps: those in flight finish, then the snapshot (if due) is taken and the run ends or goes on. */
    private Behavior<Command> draining(Drain drain) {
        return Behaviors.receive(Command.class)
                .onMessage(GotBatch.class, this::launch) // requested before the drain: it runs like the others
                .onMessage(GotOutcome.class, msg -> drained(outcome(msg, drain)))
                .onMessageEquals(Stop.INSTANCE, () -> drain.stop() ? Behaviors.same() : drained(stop(drain)))
                .onMessage(ReporterFailed.class, msg -> drained(drain.failed(msg.failed().message())))
                .onMessage(GotNodeLost.class, msg -> lose(msg.lost(), drain))
                .build();
    }

    /** Drained: waiting for every worker's parameters and optimizer state. */
    private Behavior<Command> snapshotting(Drain drain) {
        return Behaviors.receive(Command.class)
                .onMessage(GotSnapshot.class, msg -> onSnapshot(msg, drain))
                .onMessageEquals(Stop.INSTANCE, () -> drain.stop() ? Behaviors.same() : snapshotting(stop(drain)))
                .onMessage(ReporterFailed.class, msg -> snapshotting(drain.failed(msg.failed().message())))
                .onMessage(GotNodeLost.class, msg -> lose(msg.lost(), drain))
                .build();
    }

    /** The last step is done: the evaluator finishes its evaluations, then the reporter closes the metrics file. */
    private Behavior<Command> finishing(String error) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(EvaluationsDone.INSTANCE, () -> closeReporter(error))
                .onMessage(ReporterClosed.class, msg -> finished(msg.summary(), error))
                .onMessage(ReporterSilent.class, msg -> finished(new Reporter.Summary(window.done(), 0, 0, 0, 0, 0),
                        error != null ? error : "the reporter did not close the metrics file within "
                                + CLOSE_TIMEOUT.toSeconds() + " s (" + msg.cause().getMessage()
                                + "); its last lines may be missing"))
                .onMessage(ReporterFailed.class, msg -> finishing(error != null ? error : msg.failed().message()))
                .onMessageEquals(Stop.INSTANCE, Behaviors::same)
                .onMessage(GotNodeLost.class, msg -> Behaviors.same()) // the run is over: nothing to redo
                .build();
    }

    /**
     * A worker node is gone. Without a way to replace it (or with an error already) the run stops as before; else
     * the trainer pauses: it drops the snapshot being taken and a {@link Rejoining} child takes over the loss.
     */
    private Behavior<Command> lose(Combiner.NodeLost lost, Drain drain) {
        if (crew.rejoin() == null || restore == null || drain.error() != null) {
            return drained(drain.failed(lost.message() + "; resume from the last checkpoint once every worker node runs"
                    + " again"));
        }
        if (gather != null) {
            ctx.stop(gather);
            gather = null;
        }
        return settle(ctx.spawnAnonymous(Rejoining.create(crew, restore, lost, window.oldest(),
                ctx.messageAdapter(Rejoining.Outcome.class, GotRejoining::new))), null);
    }

    /**
     * Paused: the steps in flight come back failed and are dropped, so do the batches asked for before the pause;
     * {@code rejoining} hears of every further loss and of an idle window, and ends the pause; {@code error} (null:
     * none) ends the run once nothing is in flight.
     */
    private Behavior<Command> paused(ActorRef<Rejoining.Command> rejoining, String error) {
        return Behaviors.receive(Command.class)
                .onMessage(GotBatch.class, msg -> {
                    window.dropped();
                    return Behaviors.same();
                })
                .onMessage(GotOutcome.class, msg -> {
                    window.ended(msg.outcome().step());
                    return settle(rejoining, error);
                })
                .onMessage(GotSnapshot.class, msg -> Behaviors.same())
                .onMessage(GotNodeLost.class, msg -> {
                    rejoining.tell(new Rejoining.Lost(msg.lost()));
                    return Behaviors.same();
                })
                .onMessage(GotRejoining.class, msg -> msg.outcome() instanceof Rejoining.Failed f
                        ? settle(rejoining, first(error, f.message()))
                        : error == null ? rejoined((Rejoining.Rejoined) msg.outcome()) : settle(rejoining, error))
                .onMessageEquals(Stop.INSTANCE, () -> settle(rejoining, first(error,
                        "stopped while waiting for a worker node to rejoin; the run keeps its last checkpoint")))
                .onMessage(ReporterFailed.class, msg -> settle(rejoining, first(error, msg.failed().message())))
                .build();
    }

    private static String first(String error, String another) {
        return error != null ? error : another;
    }

    /** Once nothing is in flight: the run ends on an error, else the workers may be loaded with the restore point. */
    private Behavior<Command> settle(ActorRef<Rejoining.Command> rejoining, String error) {
        if (window.idle()) {
            if (error != null) {
                rejoining.tell(Rejoining.Cancel.INSTANCE);
                return finish(error);
            }
            rejoining.tell(Rejoining.Idle.INSTANCE);
        }
        return paused(rejoining, error);
    }

    /** Every worker holds the restore point: the combiner takes the new workers and the steps from it run again. */
    private Behavior<Command> rejoined(Rejoining.Rejoined r) {
        crew = r.crew();
        crew.combiner().tell(r.replace());
        window.rewind(restore);
        return fill();
    }

    /** Asks for batches while the window allows another step ({@link StepWindow#mayRequest}). */
    private Behavior<Command> fill() {
        while (window.mayRequest()) {
            crew.loader().tell(new DataLoader.Next(batchAdapter));
            window.requested();
        }
        return running();
    }

    private Behavior<Command> launch(GotBatch msg) {
        long step = msg.loaded().batch().step();
        double beta = plan.annealing().beta(step);
        window.launched(step, msg.loaded().batch().size(), beta, msg.loaded().after());
        crew.combiner().tell(new Combiner.Step(msg.loaded().batch(), beta, (int) step, outcomeAdapter));
        return Behaviors.same();
    }

    /** Records a finished step: reported, or the run's failure; an evaluation or checkpoint point makes one due. */
    private Drain outcome(GotOutcome msg, Drain drain) {
        StepWindow.Launched l = window.ended(msg.outcome().step());
        if (msg.outcome() instanceof StepFailure f) {
            ctx.getLog().error("step {} failed: {}", f.step(), f.message());
            return drain.failed(f.message());
        }
        StepReport r = (StepReport) msg.outcome();
        if (window.completed(r, crew.rejoin() != null)) {
            crew.reporter().tell(new Reporter.Stepped(r, l.beta(), l.rows(), l.loaderWaitNanos()));
        } else if (Double.compare(window.firstLoss(r.step()), r.loss()) != 0) { // reported once; it should not differ
            ctx.getLog().warn("step {} redone after a lost worker node has loss {}, its first run {}", r.step(), r.loss(),
                    window.firstLoss(r.step()));
        }
        long after = r.step() + 1;
        boolean last = after >= plan.endStep();
        boolean evaluate = crew.evaluator() != null && (last || (plan.evalEvery() > 0 && after % plan.evalEvery() == 0));
        boolean checkpoint = sink != null && (last || (plan.checkpointEvery() > 0 && after % plan.checkpointEvery() == 0));
        return new Drain(drain.evaluate() || evaluate, drain.checkpoint() || checkpoint, drain.stop() || last, drain.error());
    }

    /** Stop asked: finish the steps in flight and checkpoint them (if a step has finished and nothing failed). */
    private Drain stop(Drain drain) {
        ctx.getLog().info("stop requested: finishing the {} step(s) in flight", window.inFlight());
        return new Drain(drain.evaluate(), sink != null && window.done() > 0 && drain.error() == null, true, drain.error());
    }

    /**
     * Once nothing is in flight: snapshot if due, then finish or refill the window; until then, slide the
     * window (a finished step lets the next one start while the others run), or drain if a snapshot or the
     * end is due. The window used to be refilled only once every step in it had finished, so in-flight 2
     * ran steps in pairs, each pair waiting for its slower step.
     */
    private Behavior<Command> drained(Drain drain) {
        if (!window.idle()) {
            return drain.equals(Drain.NONE) ? fill() : draining(drain);
        }
        if (drain.snapshotDue()) {
            return snapshot(drain);
        }
        return drain.stop() ? finish(drain.error()) : fill();
    }

    private Behavior<Command> snapshot(Drain drain) {
        // The pipeline is drained: collect now, so that the steps' dead ND4J arrays (freed only by a collection) are
        // gone before every worker copies its parameters and Adam state. Left to javacpp's resident-set cap, the
        // collection came only after the copies had pushed the resident set past it (fashion-mvae: 1.15 GiB at the
        // snapshot against 0.93-1.02 while training).
        System.gc();
        gather = ctx.spawnAnonymous(SnapshotGather.create(crew.encoders(), crew.decoders(), SNAPSHOT_TIMEOUT,
                ctx.messageAdapter(SnapshotGather.Gathered.class, GotSnapshot::new)));
        return snapshotting(drain);
    }

    private Behavior<Command> onSnapshot(GotSnapshot msg, Drain drain) {
        gather = null;
        SnapshotGather.Gathered g = msg.gathered();
        long step = window.nextRequest(); // drained: every requested step has finished
        if (g.error() != null) {
            return drained(new Drain(false, false, true, "snapshot after step " + step + ": " + g.error()));
        }
        if (crew.rejoin() != null) {
            restore = new RestorePoint(step, window.cursor(), g.states());
            window.restorePoint();
        }
        Drain after = new Drain(false, false, drain.stop(), drain.error());
        if (drain.checkpoint() && drain.error() == null) {
            try {
                sink.save(step, window.cursor(), g.states());
            } catch (Exception e) {
                after = after.failed("checkpoint after step " + step + " failed: " + e.getMessage());
            }
        }
        if (drain.evaluate() && after.error() == null) {
            crew.evaluator().tell(new Evaluator.Evaluate(step, g.states()));
        }
        return drained(after);
    }

    private Behavior<Command> finish(String error) {
        if (crew.evaluator() != null) {
            crew.evaluator().tell(new Evaluator.Flush(ctx.messageAdapter(Evaluator.Flushed.class,
                    f -> EvaluationsDone.INSTANCE)));
        } else {
            ctx.getSelf().tell(EvaluationsDone.INSTANCE);
        }
        return finishing(error);
    }

    private Behavior<Command> closeReporter(String error) {
        ctx.ask(Reporter.Summary.class, crew.reporter(), CLOSE_TIMEOUT, Reporter.Close::new,
                (summary, failure) -> summary != null ? new ReporterClosed(summary) : new ReporterSilent(failure));
        return Behaviors.same();
    }

    private Behavior<Command> finished(Reporter.Summary summary, String error) {
        replyTo.tell(new Finished(plan.startStep() + window.done(), window.cursor(), summary, error));
        return Behaviors.stopped();
    }
}
