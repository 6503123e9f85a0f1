package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerState;
import chorus.data.BatchIterator;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Plans the run: asks the loader for batches, starts steps on the combiner (up to the in-flight window,
 * and never a step S+1 newer than the oldest unfinished one), sets beta from the annealing schedule,
 * reports each finished step, and at evaluation / checkpoint points lets the pipeline drain, takes a
 * snapshot of every worker and hands it to the evaluator and the checkpoint sink. Stops at the last
 * step, on {@link Stop}, or on a failed step or a metrics file that cannot be written (without a checkpoint,
 * so the last good one stays). Every wait on another actor has a timeout.
 *
 * <p>One behaviour per phase: {@link #running} (filling the window), {@link #draining} (no new steps until
 * those in flight finish, for a snapshot or the end), {@link #snapshotting} (waiting for the workers' states)
 * and {@link #finishing} (flushing the evaluator and closing the metrics file). The step bookkeeping is shared.
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

    /** What the report of a running step needs from its launch. */
    private record Launched(int rows, long loaderWaitNanos, double beta) {
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

    /** The actors the trainer drives; {@code evaluator} may be null (no evaluation). */
    public record Crew(ActorRef<DataLoader.Command> loader, ActorRef<Combiner.Command> combiner,
                       List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                       ActorRef<Reporter.Command> reporter, ActorRef<Evaluator.Command> evaluator) {
    }

    /**
     * Why the pipeline drains: a snapshot for the evaluator and / or a checkpoint, and whether the run ends
     * afterwards, with {@code error} (null: no error) — a failed step's, or the metrics file's.
     */
    private record Drain(boolean evaluate, boolean checkpoint, boolean stop, String error) {

        static final Drain NONE = new Drain(false, false, false, null);

        /** A failure: the run ends without another snapshot (the first error is the one reported). */
        Drain failed(String why) {
            return new Drain(evaluate, checkpoint, true, error != null ? error : why);
        }

        boolean snapshotDue() {
            return error == null && (evaluate || checkpoint);
        }
    }

    /** How long the reporter may take to write its last line and close the metrics file. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ActorContext<Command> ctx;
    private final TrainPlan plan;
    private final Crew crew;
    private final CheckpointSink sink;
    private final ActorRef<Finished> replyTo;
    private final ActorRef<DataLoader.Loaded> batchAdapter;
    private final ActorRef<StepOutcome> outcomeAdapter;
    private final TreeSet<Long> unfinished = new TreeSet<>(); // requested or running
    private final Map<Long, Launched> launched = new HashMap<>();
    private final Deque<Long> requestedAt = new ArrayDeque<>();
    private long nextRequest;       // step of the next batch to ask for
    private long done;              // steps finished
    private BatchIterator.Cursor cursor;

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
        this.cursor = start;
        this.nextRequest = plan.startStep();
        this.batchAdapter = ctx.messageAdapter(DataLoader.Loaded.class, GotBatch::new);
        this.outcomeAdapter = ctx.messageAdapter(StepOutcome.class, GotOutcome::new);
    }

    private Behavior<Command> start() {
        crew.reporter().tell(new Reporter.Watch(ctx.messageAdapter(Reporter.MetricsFailed.class, ReporterFailed::new)));
        if (plan.startStep() >= plan.endStep()) {
            return finish(null);
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
                .build();
    }

    /** No new steps: those in flight finish, then the snapshot (if due) is taken and the run ends or goes on. */
    private Behavior<Command> draining(Drain drain) {
        return Behaviors.receive(Command.class)
                .onMessage(GotBatch.class, this::launch) // requested before the drain: it runs like the others
                .onMessage(GotOutcome.class, msg -> drained(outcome(msg, drain)))
                .onMessageEquals(Stop.INSTANCE, () -> drain.stop ? Behaviors.same() : drained(stop(drain)))
                .onMessage(ReporterFailed.class, msg -> drained(drain.failed(msg.failed().message())))
                .build();
    }

    /** Drained: waiting for every worker's parameters and optimizer state. */
    private Behavior<Command> snapshotting(Drain drain) {
        return Behaviors.receive(Command.class)
                .onMessage(GotSnapshot.class, msg -> onSnapshot(msg, drain))
                .onMessageEquals(Stop.INSTANCE, () -> drain.stop ? Behaviors.same() : snapshotting(stop(drain)))
                .onMessage(ReporterFailed.class, msg -> snapshotting(drain.failed(msg.failed().message())))
                .build();
    }

    /** The last step is done: the evaluator finishes its evaluations, then the reporter closes the metrics file. */
    private Behavior<Command> finishing(String error) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(EvaluationsDone.INSTANCE, () -> closeReporter(error))
                .onMessage(ReporterClosed.class, msg -> finished(msg.summary(), error))
                .onMessage(ReporterSilent.class, msg -> finished(new Reporter.Summary(done, 0, 0, 0, 0, 0),
                        error != null ? error : "the reporter did not close the metrics file within "
                                + CLOSE_TIMEOUT.toSeconds() + " s (" + msg.cause().getMessage()
                                + "); its last lines may be missing"))
                .onMessage(ReporterFailed.class, msg -> finishing(error != null ? error : msg.failed().message()))
                .onMessageEquals(Stop.INSTANCE, Behaviors::same)
                .build();
    }

    /**
     * Asks for batches while the window allows another step: fewer than in-flight unfinished steps, none
     * more than max-staleness older than the next, and the first step after an evaluation or checkpoint
     * point only once the steps before it have drained (so the snapshot is taken exactly at the point).
     */
    private Behavior<Command> fill() {
        while (nextRequest < plan.endStep() && unfinished.size() < plan.inFlight()
                && (unfinished.isEmpty() || nextRequest - unfinished.first() <= plan.maxStaleness())
                && (unfinished.isEmpty() || !atSnapshotPoint(nextRequest))) {
            crew.loader().tell(new DataLoader.Next(batchAdapter));
            requestedAt.add(System.nanoTime());
            unfinished.add(nextRequest);
            nextRequest++;
        }
        return running();
    }

    private boolean atSnapshotPoint(long step) {
        return (plan.evalEvery() > 0 && step % plan.evalEvery() == 0)
                || (plan.checkpointEvery() > 0 && step % plan.checkpointEvery() == 0);
    }

    private Behavior<Command> launch(GotBatch msg) {
        long waited = System.nanoTime() - requestedAt.poll();
        long step = msg.loaded().batch().step();
        cursor = msg.loaded().after();
        double beta = plan.annealing().beta(step);
        launched.put(step, new Launched(msg.loaded().batch().size(), waited, beta));
        crew.combiner().tell(new Combiner.Step(msg.loaded().batch(), beta, (int) step, outcomeAdapter));
        return Behaviors.same();
    }

    /** Records a finished step: reported, or the run's failure; an evaluation or checkpoint point makes one due. */
    private Drain outcome(GotOutcome msg, Drain drain) {
        unfinished.remove(msg.outcome().step());
        Launched l = launched.remove(msg.outcome().step());
        if (msg.outcome() instanceof StepFailure f) {
            ctx.getLog().error("step {} failed: {}", f.step(), f.message());
            return drain.failed(f.message());
        }
        StepReport r = (StepReport) msg.outcome();
        done++;
        crew.reporter().tell(new Reporter.Stepped(r, l.beta(), l.rows(), l.loaderWaitNanos()));
        long after = r.step() + 1;
        boolean last = after >= plan.endStep();
        boolean evaluate = crew.evaluator() != null && (last || (plan.evalEvery() > 0 && after % plan.evalEvery() == 0));
        boolean checkpoint = sink != null && (last || (plan.checkpointEvery() > 0 && after % plan.checkpointEvery() == 0));
        return new Drain(drain.evaluate || evaluate, drain.checkpoint || checkpoint, drain.stop || last, drain.error);
    }

    /** Stop asked: finish the steps in flight and checkpoint them (if a step has finished and nothing failed). */
    private Drain stop(Drain drain) {
        ctx.getLog().info("stop requested: finishing the {} step(s) in flight", unfinished.size());
        return new Drain(drain.evaluate, sink != null && done > 0 && drain.error == null, true, drain.error);
    }

    /**
     * Once nothing is in flight: snapshot if due, then finish or refill the window; until then, slide the
     * window (a finished step lets the next one start while the others run), or drain if a snapshot or the
     * end is due. The window used to be refilled only once every step in it had finished, so in-flight 2
     * ran steps in pairs, each pair waiting for its slower step.
     */
    private Behavior<Command> drained(Drain drain) {
        if (!unfinished.isEmpty()) {
            return drain.equals(Drain.NONE) ? fill() : draining(drain);
        }
        if (drain.snapshotDue()) {
            ctx.spawnAnonymous(SnapshotGather.create(crew.encoders(), crew.decoders(), Duration.ofMinutes(2),
                    ctx.messageAdapter(SnapshotGather.Gathered.class, GotSnapshot::new)));
            return snapshotting(drain);
        }
        return drain.stop ? finish(drain.error) : fill();
    }

    private Behavior<Command> onSnapshot(GotSnapshot msg, Drain drain) {
        SnapshotGather.Gathered g = msg.gathered();
        long step = nextRequest; // drained: every requested step has finished
        if (g.error() != null) {
            return drained(new Drain(false, false, true, "snapshot after step " + step + ": " + g.error()));
        }
        Drain after = new Drain(false, false, drain.stop, drain.error);
        if (drain.checkpoint && drain.error == null) {
            try {
                sink.save(step, cursor, g.states());
            } catch (Exception e) {
                after = after.failed("checkpoint after step " + step + " failed: " + e.getMessage());
            }
        }
        if (drain.evaluate && after.error == null) {
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
        replyTo.tell(new Finished(plan.startStep() + done, cursor, summary, error));
        return Behaviors.stopped();
    }
}
