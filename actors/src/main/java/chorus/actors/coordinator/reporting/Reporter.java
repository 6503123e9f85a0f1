package chorus.actors.coordinator.reporting;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.coordinator.step.StepReport;
import chorus.models.evaluation.likelihood.TestElbo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns finished steps and evaluations into one log line per interval (logger {@code chorus.train}):
 * step, epoch, loss, every term, beta, images/s, the time each actor waited, the largest staleness and
 * any retries; and the same as JSON lines in a metrics file. It owns the metrics file: when that cannot be
 * opened or written it tells its watcher (the trainer stops the run) and goes on logging without it.
 */
public final class Reporter extends AbstractBehavior<Reporter.Command> {

    private static final Logger LOG = LoggerFactory.getLogger("chorus.train");

    /** What the reporter accepts. */
    public sealed interface Command extends CoordinatorLocal {
    }

    /** A finished step; {@code loaderWaitNanos} is how long the trainer waited for its batch. */
    public record Stepped(StepReport report, double beta, int rows, long loaderWaitNanos) implements Command {
    }

    /** A test evaluation of the parameters after {@code step}, with further metrics by name (in order). */
    public record Evaluated(long step, TestElbo.Result result, Map<String, Double> metrics, long nanos) implements Command {

        /** An evaluation of the test terms only. */
        public Evaluated(long step, TestElbo.Result result, long nanos) {
            this(step, result, Map.of(), nanos);
        }
    }

    /** Tell {@code replyTo} (once) if the metrics file cannot be opened or written. */
    public record Watch(ActorRef<MetricsFailed> replyTo) implements Command {
    }

    /** The metrics file could not be opened or written; {@code message} names it and the cause. */
    public record MetricsFailed(String message) {
    }

    /** Write what is pending, close the metrics file and reply with the run's totals. */
    public record Close(ActorRef<Summary> replyTo) implements Command {
    }

    /** Totals of the steps this reporter saw. */
    public record Summary(long steps, long rows, double seconds, double imagesPerSecond, long maxStaleness,
                          long retries) {
    }

    /**
     * What to report and where.
     *
     * @param every           steps per log line and metrics record
     * @param totalSteps      the step the run stops at (for "step 200/1200")
     * @param batchesPerEpoch to show the epoch
     * @param modalities      names, in modality order
     * @param metrics         the JSON-lines file, or null for none
     * @param progress        called with the number of steps done after each step (a console bar), or null
     */
    public record Settings(int every, long totalSteps, long batchesPerEpoch, List<String> modalities,
                           java.nio.file.Path metrics, LongConsumer progress) {
    }

    private final Settings s;
    private final Interval interval;
    private MetricsFile metrics; // null: none configured, or it failed
    private String failure;      // why the metrics file failed, or null
    private ActorRef<MetricsFailed> watcher;
    private final long started = System.nanoTime();
    private long steps;
    private long rows;
    private long maxStaleness;
    private long retries;
    private long stepsDone; // the step after the last reported one: where a pending interval ends

    public static Behavior<Command> create(Settings settings) {
        return Behaviors.setup(ctx -> new Reporter(ctx, settings));
    }

    private Reporter(ActorContext<Command> ctx, Settings s) {
        super(ctx);
        this.s = s;
        this.interval = new Interval(s.modalities());
        try {
            this.metrics = s.metrics() == null ? null : MetricsFile.open(s.metrics());
        } catch (UncheckedIOException e) {
            failed(e.getMessage());
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Stepped.class, this::onStepped)
                .onMessage(Evaluated.class, this::onEvaluated)
                .onMessage(Close.class, this::onClose)
                .onMessage(Watch.class, this::onWatch)
                .build();
    }

    private Behavior<Command> onWatch(Watch msg) {
        watcher = msg.replyTo();
        if (failure != null) {
            watcher.tell(new MetricsFailed(failure));
        }
        return this;
    }

    private Behavior<Command> onStepped(Stepped msg) {
        interval.add(msg.report(), msg.beta(), msg.rows(), msg.loaderWaitNanos());
        steps++;
        rows += msg.rows();
        maxStaleness = Math.max(maxStaleness, msg.report().maxStaleness());
        retries += msg.report().attempts() - 1;
        if (s.progress() != null) {
            s.progress().accept(steps);
        }
        long step = msg.report().step() + 1;
        stepsDone = Math.max(stepsDone, step);
        if (step % s.every() == 0 || step == s.totalSteps()) {
            flush(step);
        }
        return this;
    }

    private void flush(long step) {
        if (interval.steps() == 0) {
            return;
        }
        double epoch = (double) step / s.batchesPerEpoch();
        Interval.Line line = interval.close(step, epoch, s.totalSteps());
        LOG.info(line.text());
        write(line.json());
    }

    private void write(ObjectNode record) {
        if (metrics == null) {
            return;
        }
        try {
            metrics.write(record);
        } catch (UncheckedIOException e) {
            metrics.abandon();
            metrics = null;
            failed(e.getMessage());
        }
    }

    /** Records the metrics file's failure and tells the watcher: a run whose metrics are lost should stop. */
    private void failed(String message) {
        failure = message;
        LOG.error(message);
        if (watcher != null) {
            watcher.tell(new MetricsFailed(message));
        }
    }

    private Behavior<Command> onEvaluated(Evaluated msg) {
        StringBuilder text = new StringBuilder(String.format("eval after step %d: test loss %.4f over %d rows |",
                msg.step(), msg.result().loss(), msg.result().rows()));
        msg.result().terms().forEach(t -> text.append(String.format(" %s %.4f", t.name(), t.value())));
        if (!msg.metrics().isEmpty()) {
            text.append(" |");
            new java.util.TreeMap<>(msg.metrics()).forEach((k, v) -> text.append(String.format(" %s %.4f", k, v)));
        }
        text.append(String.format(" | %.1f s", msg.nanos() / 1e9));
        LOG.info(text.toString());
        write(MetricsFile.evaluation(msg.step(), msg.result(), msg.metrics(), msg.nanos()));
        return this;
    }

    private Behavior<Command> onClose(Close msg) {
        flush(stepsDone); // a run stopped between intervals still logs its last steps
        if (metrics != null) {
            try {
                metrics.close();
            } catch (UncheckedIOException e) {
                LOG.error(e.getMessage());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        msg.replyTo().tell(new Summary(steps, rows, seconds, seconds > 0 ? rows / seconds : 0, maxStaleness, retries));
        return Behaviors.stopped();
    }
}
