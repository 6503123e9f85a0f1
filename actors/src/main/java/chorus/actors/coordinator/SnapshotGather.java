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
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A short-lived child that asks every worker for its parameters and optimizer state, replies once with
 * all of them (encoders then decoders, in modality order) and stops; if a worker does not answer within
 * the timeout it replies with the names of the silent workers instead.
 */
final class SnapshotGather extends AbstractBehavior<SnapshotGather.Command> {

    sealed interface Command extends CoordinatorLocal {
    }

    private record Got(WorkerState state) implements Command {
    }

    private enum Timeout implements Command { INSTANCE }

    /** All states, or {@code error} naming the workers that did not answer. */
    record Gathered(List<WorkerState> states, String error) {
    }

    private final List<WorkerId> expected;
    private final List<WorkerState> states = new ArrayList<>();
    private final ActorRef<Gathered> replyTo;

    static Behavior<Command> create(List<ActorRef<EncoderWorker.Command>> encoders,
                                    List<ActorRef<DecoderWorker.Command>> decoders, Duration timeout,
                                    ActorRef<Gathered> replyTo) {
        return Behaviors.setup(ctx -> {
            ActorRef<WorkerState> adapter = ctx.messageAdapter(WorkerState.class, Got::new);
            encoders.forEach(e -> e.tell(new WorkerProtocol.Snapshot(adapter)));
            decoders.forEach(d -> d.tell(new WorkerProtocol.Snapshot(adapter)));
            ctx.setReceiveTimeout(timeout, Timeout.INSTANCE);
            List<WorkerId> expected = new ArrayList<>();
            for (int j = 0; j < encoders.size(); j++) {
                expected.add(WorkerId.encoder(j));
            }
            for (int j = 0; j < decoders.size(); j++) {
                expected.add(WorkerId.decoder(j));
            }
            return new SnapshotGather(ctx, expected, replyTo);
        });
    }

    private SnapshotGather(ActorContext<Command> ctx, List<WorkerId> expected, ActorRef<Gathered> replyTo) {
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
        states.add(msg.state());
        if (states.size() < expected.size()) {
            return this;
        }
        states.sort(java.util.Comparator.comparing((WorkerState s) -> s.worker().role())
                .thenComparingInt(s -> s.worker().modality()));
        replyTo.tell(new Gathered(List.copyOf(states), null));
        return Behaviors.stopped();
    }

    private Behavior<Command> onTimeout() {
        List<WorkerId> silent = new ArrayList<>(expected);
        states.forEach(st -> silent.remove(st.worker()));
        replyTo.tell(new Gathered(null, "no snapshot from " + silent + " within the timeout"));
        return Behaviors.stopped();
    }
}
