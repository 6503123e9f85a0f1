package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link ReplicaRouter}'s child that commits steps on every replica and answers each commit once, when
 * every replica has applied the step. It lives as long as the router, not per commit: a replica applies
 * updates in step order, so the update of a step may be applied (and reported) in answer to the commit of
 * an earlier one, and the replies are matched to their step here.
 */
final class ReplicaCommits<C> extends AbstractBehavior<ReplicaCommits.Command> {

    /** Commits from the router and the replicas' replies; they never leave this JVM. */
    sealed interface Command extends akka.actor.NoSerializationVerificationNeeded {
    }

    /** Commit {@code commit.step()} on every replica and answer {@code commit.replyTo()} once. */
    record Commit(WorkerProtocol.Commit commit) implements Command {
    }

    private record FromReplica(WorkerProtocol.Reply reply) implements Command {
    }

    /** A commit awaiting replicas: whom to answer, how many replicas are still to apply it, the figures so far. */
    private record Pending(ActorRef<WorkerProtocol.Reply> replyTo, int awaited, long staleness, long busyNanos) {
    }

    private final WorkerId id;
    private final List<ActorRef<C>> replicas;
    private final Function<WorkerProtocol.Commit, C> asCommand;
    private final ActorRef<WorkerProtocol.Reply> replies;
    private final Map<Long, Pending> pending = new HashMap<>();

    /** Commits on {@code replicas} ({@code asCommand}: a commit in their protocol), answering as {@code id}. */
    static <C> Behavior<Command> create(WorkerId id, List<ActorRef<C>> replicas, Function<WorkerProtocol.Commit, C> asCommand) {
        return Behaviors.setup(ctx -> new ReplicaCommits<>(ctx, id, replicas, asCommand));
    }

    private ReplicaCommits(ActorContext<Command> ctx, WorkerId id, List<ActorRef<C>> replicas,
                           Function<WorkerProtocol.Commit, C> asCommand) {
        super(ctx);
        this.id = id;
        this.replicas = List.copyOf(replicas);
        this.asCommand = asCommand;
        this.replies = ctx.messageAdapter(WorkerProtocol.Reply.class, FromReplica::new);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Commit.class, this::onCommit)
                .onMessage(FromReplica.class, this::onReply)
                .build();
    }

    private Behavior<Command> onCommit(Commit msg) {
        WorkerProtocol.Commit c = msg.commit();
        pending.put(c.step(), new Pending(c.replyTo(), replicas.size(), 0, 0));
        replicas.forEach(r -> r.tell(asCommand.apply(new WorkerProtocol.Commit(c.step(), c.iteration(), replies))));
        return this;
    }

    private Behavior<Command> onReply(FromReplica msg) {
        Pending p = pending.get(msg.reply().step());
        if (p == null) {
            return this; // the step already failed on another replica
        }
        if (msg.reply() instanceof WorkerProtocol.Failed f) {
            pending.remove(f.step());
            p.replyTo().tell(f);
        } else if (msg.reply() instanceof WorkerProtocol.Applied a) {
            // replicas run side by side: the step waited for the slowest, and lagged as much as the most stale
            Pending now = new Pending(p.replyTo(), p.awaited() - 1, Math.max(p.staleness(), a.staleness()),
                    Math.max(p.busyNanos(), a.busyNanos()));
            if (now.awaited() > 0) {
                pending.put(a.step(), now);
            } else {
                pending.remove(a.step());
                p.replyTo().tell(new WorkerProtocol.Applied(a.step(), id, now.staleness(), now.busyNanos()));
            }
        }
        return this;
    }
}
