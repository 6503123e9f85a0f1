package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.data.Batch;
import chorus.models.objective.Objective;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The posterior-combining actor: for each step it gathers the experts from the encoders that have rows,
 * forms every term's posterior through the objective's stage, sends each decoder ONE fused request,
 * backpropagates their dL/dz into the experts, and reports when every worker has applied its update.
 * Several steps may be in flight; each has its own {@link StepRun}.
 */
public final class Combiner extends AbstractBehavior<Combiner.Command> {

    /** What the combiner accepts. */
    public sealed interface Command {
    }

    /** Run one step on {@code batch} with KL weight {@code beta}; reply when all updates are applied. */
    public record Step(Batch batch, double beta, int iteration, ActorRef<StepReport> replyTo) implements Command {
    }

    private record GotExpert(EncoderWorker.Expert msg) implements Command {
    }

    private record GotDecoded(DecoderWorker.Decoded msg) implements Command {
    }

    private record GotApplied(EncoderWorker.Applied msg) implements Command {
    }

    private final StepRun.Workers workers;
    private final Map<Long, StepRun> running = new HashMap<>();

    /**
     * @param encoders one per modality, in modality order
     * @param decoders one per modality, in modality order
     * @param latent   latent dimensions D (for the placeholder expert of a modality with no rows)
     */
    public static Behavior<Command> create(List<ActorRef<EncoderWorker.Command>> encoders,
                                           List<ActorRef<DecoderWorker.Command>> decoders,
                                           Objective objective, int latent, DataType dtype) {
        return Behaviors.setup(ctx -> new Combiner(ctx, encoders, decoders, objective, latent, dtype));
    }

    private Combiner(ActorContext<Command> ctx, List<ActorRef<EncoderWorker.Command>> encoders,
                     List<ActorRef<DecoderWorker.Command>> decoders, Objective objective, int latent, DataType dtype) {
        super(ctx);
        this.workers = new StepRun.Workers(List.copyOf(encoders), List.copyOf(decoders), objective, latent, dtype,
                ctx.messageAdapter(EncoderWorker.Expert.class, GotExpert::new),
                ctx.messageAdapter(DecoderWorker.Decoded.class, GotDecoded::new),
                ctx.messageAdapter(EncoderWorker.Applied.class, GotApplied::new));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Step.class, this::onStep)
                .onMessage(GotExpert.class, m -> advance(m.msg().step(), run -> run.onExpert(m.msg())))
                .onMessage(GotDecoded.class, m -> advance(m.msg().step(), run -> run.onDecoded(m.msg())))
                .onMessage(GotApplied.class, m -> advance(m.msg().step(), run -> run.onApplied(m.msg())))
                .build();
    }

    private Behavior<Command> onStep(Step msg) {
        long step = msg.batch().step();
        if (running.containsKey(step)) {
            throw new IllegalStateException("combiner: step " + step + " is already running");
        }
        StepRun run = new StepRun(workers, msg.batch(), msg.beta(), msg.iteration(), msg.replyTo());
        running.put(step, run);
        return advance(step, StepRun::start);
    }

    private Behavior<Command> advance(long step, java.util.function.Predicate<StepRun> action) {
        StepRun run = running.get(step);
        if (run == null) {
            getContext().getLog().warn("combiner: message for step {} which is not running", step);
            return this;
        }
        if (action.test(run)) {
            running.remove(step);
        }
        return this;
    }
}
