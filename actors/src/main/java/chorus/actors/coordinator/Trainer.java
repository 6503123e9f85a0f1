package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
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
 */
public final class Trainer extends AbstractBehavior<Trainer.Command> {

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

    /** How long the reporter may take to write its last line and close the metrics file. */
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

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
    private boolean evalDue;
    private boolean checkpointDue;
    private boolean snapshotting;
    private boolean stopping;
    private String error;

    public static Behavior<Command> create(TrainPlan plan, Crew crew, BatchIterator.Cursor start, CheckpointSink sink,
                                           ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> new Trainer(ctx, plan, crew, start, sink, replyTo));
    }

    private Trainer(ActorContext<Command> ctx, TrainPlan plan, Crew crew, BatchIterator.Cursor start,
                    CheckpointSink sink, ActorRef<Finished> replyTo) {
        super(ctx);
        this.plan = plan;
        this.crew = crew;
        this.sink = sink;
        this.replyTo = replyTo;
        this.cursor = start;
        this.nextRequest = plan.startStep();
        this.batchAdapter = ctx.messageAdapter(DataLoader.Loaded.class, GotBatch::new);
        this.outcomeAdapter = ctx.messageAdapter(StepOutcome.class, GotOutcome::new);
        crew.reporter().tell(new Reporter.Watch(ctx.messageAdapter(Reporter.MetricsFailed.class, ReporterFailed::new)));
        if (plan.startStep() >= plan.endStep()) {
            stopping = true;
            advance();
        } else {
            fill();
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(GotBatch.class, this::onBatch)
                .onMessage(GotOutcome.class, this::onOutcome)
                .onMessage(GotSnapshot.class, this::onSnapshot)
                .onMessageEquals(Stop.INSTANCE, this::onStop)
                .onMessageEquals(EvaluationsDone.INSTANCE, this::onEvaluationsDone)
                .onMessage(ReporterClosed.class, this::onReporterClosed)
                .onMessage(ReporterSilent.class, this::onReporterSilent)
                .onMessage(ReporterFailed.class, this::onReporterFailed)
                .build();
    }

    /**
     * Asks for batches while the window allows another step: fewer than in-flight unfinished steps, none
     * more than max-staleness older than the next, and the first step after an evaluation or checkpoint
     * point only once the steps before it have drained (so the snapshot is taken exactly at the point).
     */
    private void fill() {
        while (!paused() && nextRequest < plan.endStep() && unfinished.size() < plan.inFlight()
                && (unfinished.isEmpty() || nextRequest - unfinished.first() <= plan.maxStaleness())
                && (unfinished.isEmpty() || !atSnapshotPoint(nextRequest))) {
            crew.loader().tell(new DataLoader.Next(batchAdapter));
            requestedAt.add(System.nanoTime());
            unfinished.add(nextRequest);
            nextRequest++;
        }
    }

    private boolean atSnapshotPoint(long step) {
        return (plan.evalEvery() > 0 && step % plan.evalEvery() == 0)
                || (plan.checkpointEvery() > 0 && step % plan.checkpointEvery() == 0);
    }

    private boolean paused() {
        return evalDue || checkpointDue || stopping || snapshotting;
    }

    private Behavior<Command> onBatch(GotBatch msg) {
        long waited = System.nanoTime() - requestedAt.poll();
        long step = msg.loaded().batch().step();
        cursor = msg.loaded().after();
        double beta = plan.annealing().beta(step);
        launched.put(step, new Launched(msg.loaded().batch().size(), waited, beta));
        crew.combiner().tell(new Combiner.Step(msg.loaded().batch(), beta, (int) step, outcomeAdapter));
        return this;
    }

    private Behavior<Command> onOutcome(GotOutcome msg) {
        unfinished.remove(msg.outcome().step());
        Launched l = launched.remove(msg.outcome().step());
        if (msg.outcome() instanceof StepFailure f) {
            getContext().getLog().error("step {} failed: {}", f.step(), f.message());
            error = error == null ? f.message() : error;
            stopping = true;
        } else {
            StepReport r = (StepReport) msg.outcome();
            done++;
            crew.reporter().tell(new Reporter.Stepped(r, l.beta(), l.rows(), l.loaderWaitNanos()));
            long after = r.step() + 1;
            boolean last = after >= plan.endStep();
            evalDue |= crew.evaluator() != null && (last || (plan.evalEvery() > 0 && after % plan.evalEvery() == 0));
            checkpointDue |= sink != null && (last || (plan.checkpointEvery() > 0 && after % plan.checkpointEvery() == 0));
            stopping |= last;
        }
        return advance();
    }

    /** Once drained: snapshot if due, then finish or refill the window. */
    private Behavior<Command> advance() {
        if (!unfinished.isEmpty() || snapshotting) {
            return this;
        }
        if (error == null && (evalDue || checkpointDue)) {
            snapshotting = true;
            getContext().spawnAnonymous(SnapshotGather.create(crew.encoders(), crew.decoders(), Duration.ofMinutes(2),
                    getContext().messageAdapter(SnapshotGather.Gathered.class, GotSnapshot::new)));
            return this;
        }
        if (stopping) {
            return finish();
        }
        fill();
        return this;
    }

    private Behavior<Command> onSnapshot(GotSnapshot msg) {
        snapshotting = false;
        SnapshotGather.Gathered g = msg.gathered();
        long step = nextRequest; // drained: every requested step has finished
        if (g.error() != null) {
            error = "snapshot after step " + step + ": " + g.error();
            stopping = true;
        } else {
            if (checkpointDue && error == null) {
                try {
                    sink.save(step, cursor, g.states());
                } catch (Exception e) {
                    error = "checkpoint after step " + step + " failed: " + e.getMessage();
                    stopping = true;
                }
            }
            if (evalDue && error == null) {
                crew.evaluator().tell(new Evaluator.Evaluate(step, g.states()));
            }
        }
        evalDue = false;
        checkpointDue = false;
        return advance();
    }

    private Behavior<Command> onStop() {
        if (!stopping) {
            getContext().getLog().info("stop requested: finishing the {} step(s) in flight", unfinished.size());
            stopping = true;
            checkpointDue = sink != null && done > 0 && error == null;
        }
        return advance();
    }

    private Behavior<Command> finish() {
        if (crew.evaluator() != null) {
            crew.evaluator().tell(new Evaluator.Flush(getContext().messageAdapter(Evaluator.Flushed.class,
                    f -> EvaluationsDone.INSTANCE)));
        } else {
            getContext().getSelf().tell(EvaluationsDone.INSTANCE);
        }
        return this;
    }

    /**
     * The metrics file is lost: the run stops like after a failed step, without another checkpoint, so that
     * the last one and the metrics file end at steps that agree.
     */
    private Behavior<Command> onReporterFailed(ReporterFailed msg) {
        error = error == null ? msg.failed().message() : error;
        if (stopping) {
            return this; // already draining or finishing: the error is reported with the end
        }
        stopping = true;
        return advance();
    }

    private Behavior<Command> onEvaluationsDone() {
        getContext().ask(Reporter.Summary.class, crew.reporter(), CLOSE_TIMEOUT, Reporter.Close::new,
                (summary, failure) -> summary != null ? new ReporterClosed(summary) : new ReporterSilent(failure));
        return this;
    }

    private Behavior<Command> onReporterClosed(ReporterClosed msg) {
        replyTo.tell(new Finished(plan.startStep() + done, cursor, msg.summary(), error));
        return Behaviors.stopped();
    }

    private Behavior<Command> onReporterSilent(ReporterSilent msg) {
        String silent = "the reporter did not close the metrics file within " + CLOSE_TIMEOUT.toSeconds() + " s ("
                + msg.cause().getMessage() + "); its last lines may be missing";
        replyTo.tell(new Finished(plan.startStep() + done, cursor, new Reporter.Summary(done, 0, 0, 0, 0, 0),
                error != null ? error : silent));
        return Behaviors.stopped();
    }
}
