package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the encoder and decoder routers share. A router stands for a modality's N replicas of one worker and
 * speaks that worker's protocol, so the combiner does not know it: it cuts each request's rows into N
 * contiguous chunks, one per replica ({@link RowChunks}), a {@link ReplicaGather} child per request puts the
 * answers back together in row order, sums the replicas' parameter gradients and gives every replica the sum
 * ({@link WorkerProtocol.SummedGradient}) before it answers; at the commit ({@link ReplicaCommits}) every
 * replica applies that same sum, so the replicas stay identical. Snapshots read replica 0; a load goes to all.
 * The replicas are the router's children, each on its device's dispatcher, so they run side by side.
 */
abstract class ReplicaRouter<C> extends AbstractBehavior<C> {

    /** How long a replica may take over its share before it counts as failed (and the step is retried). */
    static final Duration REPLY_TIMEOUT = Duration.ofMinutes(10);

    protected final WorkerId id;
    protected final List<ActorRef<C>> replicas;
    private final ActorRef<ReplicaCommits.Command> commits;
    private final boolean reportGradients;

    ReplicaRouter(ActorContext<C> ctx, WorkerId id, List<ActorRef<C>> replicas, boolean reportGradients) {
        super(ctx);
        this.id = id;
        this.replicas = List.copyOf(replicas);
        this.reportGradients = reportGradients;
        this.commits = ctx.spawn(ReplicaCommits.create(id, this.replicas, this::command), "commits");
    }

    /**
     * A {@link WorkerProtocol} message as this router's command type: each of them is both an encoder's and a
     * decoder's command, which Java cannot say of a type parameter.
     */
    @SuppressWarnings("unchecked")
    protected final C command(Object workerProtocolMessage) {
        return (C) workerProtocolMessage;
    }

    /**
     * Gathers one reply per chunk request ({@code requests.get(i)} goes to replica i) and passes the replies,
     * in replica order, to {@code done}; a replica's failure or silence goes to {@code replyTo} as a
     * {@link WorkerProtocol.Failed} naming the replica, which the combiner retries like any worker's.
     */
    protected final void gather(long step, int attempt, ActorRef<WorkerProtocol.Reply> replyTo,
                                List<Function<ActorRef<WorkerProtocol.Reply>, C>> requests,
                                Consumer<List<WorkerProtocol.Reply>> done) {
        getContext().spawnAnonymous(ReplicaGather.create(WorkerProtocol.Reply.class, replicas, requests, REPLY_TIMEOUT,
                new ReplicaGather.Outcome<>() {
                    @Override
                    public boolean isFailure(WorkerProtocol.Reply reply) {
                        return reply instanceof WorkerProtocol.Failed;
                    }

                    @Override
                    public void failed(int replica, WorkerProtocol.Reply reply, Throwable error) {
                        int n = replicas.size();
                        replyTo.tell(reply instanceof WorkerProtocol.Failed f
                                ? new WorkerProtocol.Failed(f.step(), f.attempt(), f.worker(),
                                        f.message() + " (replica " + replica + " of " + n + ")", f.retryable())
                                : new WorkerProtocol.Failed(step, attempt, id.replica(replica), id + " replica " + replica
                                        + " of " + n + " did not answer within " + REPLY_TIMEOUT.toMinutes() + " minutes", true));
                    }

                    @Override
                    public void done(List<WorkerProtocol.Reply> replies) {
                        done.accept(replies);
                    }
                }));
    }

    /**
     * Hands {@code step}'s summed parameter gradient to every replica (each its own copy: an array sent
     * belongs to its receiver) and returns it as the router's reply carries it.
     */
    protected final INDArray share(long step, List<INDArray> grads) {
        INDArray sum = RowChunks.sum(grads);
        for (int i = 0; i < replicas.size(); i++) {
            replicas.get(i).tell(command(new WorkerProtocol.SummedGradient(step, i == 0 || sum == null ? sum : sum.dup())));
        }
        return reportGradients ? sum : null;
    }

    protected Behavior<C> onCommit(WorkerProtocol.Commit msg) {
        commits.tell(new ReplicaCommits.Commit(msg));
        return this;
    }

    protected Behavior<C> onAbort(WorkerProtocol.Abort msg) {
        replicas.forEach(r -> r.tell(command(msg)));
        return this;
    }

    protected Behavior<C> onSnapshot(WorkerProtocol.Snapshot msg) {
        replicas.get(0).tell(command(msg));
        return this;
    }

    /** Loads the same state into every replica and answers once, with the first error if any replica refused. */
    protected Behavior<C> onLoad(WorkerProtocol.Load msg) {
        List<Function<ActorRef<WorkerProtocol.Loaded>, C>> loads = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            boolean first = i == 0;
            loads.add(r -> command(new WorkerProtocol.Load(first ? msg.params() : msg.params().dup(),
                    first ? msg.updaterState() : msg.updaterState().dup(), r)));
        }
        getContext().spawnAnonymous(ReplicaGather.create(WorkerProtocol.Loaded.class, replicas, loads, REPLY_TIMEOUT,
                new ReplicaGather.Outcome<>() {
                    @Override
                    public boolean isFailure(WorkerProtocol.Loaded reply) {
                        return reply.error() != null;
                    }

                    @Override
                    public void failed(int replica, WorkerProtocol.Loaded reply, Throwable error) {
                        msg.replyTo().tell(new WorkerProtocol.Loaded(id, (reply == null ? "no answer" : reply.error())
                                + " (replica " + replica + " of " + replicas.size() + ")"));
                    }

                    @Override
                    public void done(List<WorkerProtocol.Loaded> replies) {
                        msg.replyTo().tell(new WorkerProtocol.Loaded(id, null));
                    }
                }));
        return this;
    }
}
