package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A short-lived child that loads a snapshot (encoders then decoders, in modality order, as {@link SnapshotGather}
 * gives it) into every worker, replies once when all have loaded, or with the first worker's error or the silent
 * ones at the timeout, and stops. Each worker gets its own copy of the arrays: the snapshot stays the sender's.
 */
final class LoadGather extends AbstractBehavior<LoadGather.Command> {

    sealed interface Command extends CoordinatorLocal {
    }

    private record Got(WorkerProtocol.Loaded loaded) implements Command {
    }

    private enum Timeout implements Command { INSTANCE }

    /** Every worker loaded ({@code error} null), or why not. */
    record Loaded(String error) {
    }

    private final int expected;
    private final List<String> loaded = new ArrayList<>();
    private final ActorRef<Loaded> replyTo;

    static Behavior<Command> create(List<ActorRef<EncoderWorker.Command>> encoders,
                                    List<ActorRef<DecoderWorker.Command>> decoders, List<WorkerState> states,
                                    Duration timeout, ActorRef<Loaded> replyTo) {
        if (states.size() != encoders.size() + decoders.size()) {
            throw new IllegalArgumentException("a snapshot of " + states.size() + " networks for "
                    + (encoders.size() + decoders.size()) + " workers");
        }
        return Behaviors.setup(ctx -> {
            ActorRef<WorkerProtocol.Loaded> adapter = ctx.messageAdapter(WorkerProtocol.Loaded.class, Got::new);
            int m = encoders.size();
            for (int j = 0; j < m; j++) {
                encoders.get(j).tell(load(states.get(j), adapter));
                decoders.get(j).tell(load(states.get(m + j), adapter));
            }
            ctx.setReceiveTimeout(timeout, Timeout.INSTANCE);
            return new LoadGather(ctx, states.size(), replyTo);
        });
    }

    private static WorkerProtocol.Load load(WorkerState s, ActorRef<WorkerProtocol.Loaded> replyTo) {
        return new WorkerProtocol.Load(s.params().dup(), s.updaterState().dup(), replyTo);
    }

    private LoadGather(ActorContext<Command> ctx, int expected, ActorRef<Loaded> replyTo) {
        super(ctx);
        this.expected = expected;
        this.replyTo = replyTo;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Got.class, this::onGot)
                .onMessageEquals(Timeout.INSTANCE, this::onTimeout)
                .build();
    }

    private Behavior<Command> onGot(Got msg) {
        if (msg.loaded().error() != null) {
            return reply("the " + msg.loaded().worker() + " worker cannot load the snapshot: " + msg.loaded().error());
        }
        loaded.add(msg.loaded().worker().toString());
        return loaded.size() < expected ? this : reply(null);
    }

    private Behavior<Command> onTimeout() {
        return reply("only " + loaded + " of " + expected + " workers loaded the snapshot within the timeout");
    }

    private Behavior<Command> reply(String error) {
        replyTo.tell(new Loaded(error));
        return Behaviors.stopped();
    }
}
