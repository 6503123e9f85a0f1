package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.models.nn.Network;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Encoder[m] as N replicas ({@code chorus.workers.<m>.replicas}): the encoder protocol, each request's rows
 * split across the replicas (see {@link ReplicaRouter}). The combiner cannot tell it from one worker.
 */
final class EncoderReplicas extends ReplicaRouter<EncoderWorker.Command> {

    /**
     * A router over one replica per network in {@code networks} (identical copies, which it takes), replica i on
     * {@code devices.get(i)}; it answers as {@code WorkerId.encoder(modality)}.
     */
    static Behavior<EncoderWorker.Command> create(int modality, String name, List<Network> networks,
                                                  List<Placement.Device> devices, WorkerHooks hooks) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<EncoderWorker.Command>> replicas = new ArrayList<>();
            for (int i = 0; i < networks.size(); i++) {
                WorkerId id = WorkerId.encoder(modality).replica(i);
                replicas.add(ctx.spawn(EncoderWorker.create(id, name, networks.get(i), devices.get(i),
                        hooks.reportingGradients(), !hooks.reportGradients()), "replica-" + i, DispatcherSelector.fromConfig(devices.get(i).dispatcher())));
            }
            return new EncoderReplicas(ctx, WorkerId.encoder(modality), replicas, hooks.reportGradients());
        });
    }

    private EncoderReplicas(ActorContext<EncoderWorker.Command> ctx, WorkerId id,
                            List<ActorRef<EncoderWorker.Command>> replicas, boolean reportGradients) {
        super(ctx, id, replicas, reportGradients);
    }

    @Override
    public Receive<EncoderWorker.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(EncoderWorker.Encode.class, this::onEncode)
                .onMessage(EncoderWorker.Backprop.class, this::onBackprop)
                .onMessage(WorkerProtocol.Commit.class, this::onCommit)
                .onMessage(WorkerProtocol.Abort.class, this::onAbort)
                .onMessage(WorkerProtocol.Snapshot.class, this::onSnapshot)
                .onMessage(WorkerProtocol.Load.class, this::onLoad)
                .build();
    }

    private Behavior<EncoderWorker.Command> onEncode(EncoderWorker.Encode msg) {
        List<Function<ActorRef<WorkerProtocol.Reply>, EncoderWorker.Command>> shares = new ArrayList<>();
        for (int[] rows : RowChunks.ranges((int) msg.x().size(0), replicas.size())) {
            shares.add(r -> new EncoderWorker.Encode(msg.step(), msg.attempt(), RowChunks.rows(msg.x(), rows),
                    RowChunks.rows(msg.presence(), rows), r));
        }
        gather(msg.step(), msg.attempt(), msg.replyTo(), shares, replies -> {
            List<Gaussian> experts = replies.stream().map(e -> ((WorkerProtocol.Expert) e).expert()).toList();
            msg.replyTo().tell(new WorkerProtocol.Expert(msg.step(), msg.attempt(), id.modality(),
                    Gaussian.concat(experts)));
        });
        return this;
    }

    private Behavior<EncoderWorker.Command> onBackprop(EncoderWorker.Backprop msg) {
        List<Function<ActorRef<WorkerProtocol.Reply>, EncoderWorker.Command>> shares = new ArrayList<>();
        for (int[] rows : RowChunks.ranges(msg.grad().rows(), replicas.size())) {
            shares.add(r -> new EncoderWorker.Backprop(msg.step(), msg.attempt(), RowChunks.rows(msg.grad(), rows), r));
        }
        gather(msg.step(), msg.attempt(), msg.replyTo(), shares, replies -> {
            List<INDArray> grads = replies.stream().map(c -> ((WorkerProtocol.Computed) c).grad()).toList();
            msg.replyTo().tell(new WorkerProtocol.Computed(msg.step(), msg.attempt(), id, share(msg.step(), grads)));
        });
        return this;
    }
}
