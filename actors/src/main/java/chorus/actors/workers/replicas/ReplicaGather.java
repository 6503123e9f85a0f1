package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * A {@link ReplicaRouter}'s short-lived child for one request: it sends each replica its share, gathers
 * one answer per replica, hands them over in replica order and stops. A replica's reply does not say which
 * replica sent it (an expert is just rows), so each share is an ask (Akka's per-request reply reference
 * says which), and each ask's timeout stands in for a receive timeout: a replica silent that long counts
 * as failed. The first failure is passed on at once and ends the gather.
 */
final class ReplicaGather<C, T> extends AbstractBehavior<ReplicaGather.Command> {

    /** Only the gather's own answers; they never leave this JVM. */
    sealed interface Command extends akka.actor.NoSerializationVerificationNeeded {
    }

    private record Answer(int replica, Object reply, Throwable error) implements Command {
    }

    /** What the router makes of the answers (called on the gather's thread; it only sends messages). */
    interface Outcome<T> {
        /** Whether {@code reply} is a failure, to pass on without waiting for the others. */
        boolean isFailure(T reply);

        /** Replica {@code replica} failed ({@code reply}) or did not answer in time ({@code reply} null). */
        void failed(int replica, T reply, Throwable error);

        /** Every replica answered; {@code replies} in replica order. */
        void done(List<T> replies);
    }

    private final Class<T> type;
    private final Outcome<T> outcome;
    private final List<T> replies;
    private int awaited;

    /**
     * Sends {@code requests.get(i)} to {@code replicas.get(i)} for each request (there may be fewer requests
     * than replicas: a request with fewer rows than replicas) and waits up to {@code timeout} for each answer.
     */
    static <C, T> Behavior<Command> create(Class<T> type, List<ActorRef<C>> replicas,
                                           List<Function<ActorRef<T>, C>> requests, Duration timeout,
                                           Outcome<T> outcome) {
        return Behaviors.setup(ctx -> new ReplicaGather<>(ctx, type, replicas, requests, timeout, outcome));
    }

    private ReplicaGather(ActorContext<Command> ctx, Class<T> type, List<ActorRef<C>> replicas,
                          List<Function<ActorRef<T>, C>> requests, Duration timeout, Outcome<T> outcome) {
        super(ctx);
        this.type = type;
        this.outcome = outcome;
        this.replies = new ArrayList<>(Collections.nCopies(requests.size(), null));
        this.awaited = requests.size();
        for (int i = 0; i < requests.size(); i++) {
            int replica = i;
            Function<ActorRef<T>, C> request = requests.get(i);
            ctx.ask(type, replicas.get(i), timeout, request::apply, (reply, error) -> new Answer(replica, reply, error));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Answer.class, this::onAnswer).build();
    }

    private Behavior<Command> onAnswer(Answer msg) {
        T reply = msg.reply() == null ? null : type.cast(msg.reply());
        if (reply == null || outcome.isFailure(reply)) {
            outcome.failed(msg.replica(), reply, msg.error());
            return Behaviors.stopped();
        }
        replies.set(msg.replica(), reply);
        if (--awaited > 0) {
            return this;
        }
        outcome.done(List.copyOf(replies));
        return Behaviors.stopped();
    }
}
