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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /** The step was aborted (a retry, or it failed for good): stop waiting for its replicas. */
    record Forget(long step) implements Command {
    }

    private record FromReplica(WorkerProtocol.Reply reply) implements Command {
    }

    /** A commit awaiting replicas: whom to answer, the replicas that applied it, the figures so far. */
    private record Pending(ActorRef<WorkerProtocol.Reply> replyTo, Set<Integer> applied, long staleness, long busyNanos) {
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
                .onMessage(Forget.class, this::onForget)
                .onMessage(FromReplica.class, this::onReply)
                .build();
    }

    /**
     * Commits on every replica; a commit of a step already pending (the combiner's retry after a replica's update
     * failed and was undone) goes only to the replicas that have not applied it.
     */
    private Behavior<Command> onCommit(Commit msg) {
        WorkerProtocol.Commit c = msg.commit();
        Pending p = pending.get(c.step());
        Set<Integer> applied = p == null ? Set.of() : p.applied();
        pending.put(c.step(), p == null ? new Pending(c.replyTo(), Set.of(), 0, 0)
                : new Pending(c.replyTo(), applied, p.staleness(), p.busyNanos()));
        for (int r = 0; r < replicas.size(); r++) {
            if (!applied.contains(r)) {
                replicas.get(r).tell(asCommand.apply(new WorkerProtocol.Commit(c.step(), c.iteration(), replies)));
            }
        }
        return this;
    }

    private Behavior<Command> onForget(Forget msg) {
        pending.remove(msg.step());
        return this;
    }

    private Behavior<Command> onReply(FromReplica msg) {
        Pending p = pending.get(msg.reply().step());
        if (p == null) {
            return this; // not committed through this router (an aborted step's late reply)
        }
        if (msg.reply() instanceof WorkerProtocol.Failed f) {
            p.replyTo().tell(f); // the replica undid its update; the combiner commits again or gives up
        } else if (msg.reply() instanceof WorkerProtocol.Applied a) {
            // replicas run side by side: the step waited for the slowest, and lagged as much as the most stale
            Set<Integer> applied = new HashSet<>(p.applied());
            applied.add(a.worker().replica());
            Pending now = new Pending(p.replyTo(), Set.copyOf(applied), Math.max(p.staleness(), a.staleness()),
                    Math.max(p.busyNanos(), a.busyNanos()));
            if (applied.size() < replicas.size()) {
                pending.put(a.step(), now);
            } else {
                pending.remove(a.step());
                p.replyTo().tell(new WorkerProtocol.Applied(a.step(), id, now.staleness(), now.busyNanos()));
            }
        }
        return this;
    }
}
