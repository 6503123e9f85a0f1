package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decoder[m] as N replicas ({@code chorus.workers.<m>.replicas}): the decoder protocol, the rows of each fused
 * request (and of its coefficients, in a two-phase objective) split across the replicas the same way (see
 * {@link ReplicaRouter}). A request with fewer rows than replicas uses the first ones; the others still get
 * the summed gradient and apply it.
 */
final class DecoderReplicas extends ReplicaRouter<DecoderWorker.Command> {

    /**
     * A router over one replica per network in {@code networks} (identical copies, which it takes), replica i on
     * {@code devices.get(i)}; it answers as {@code WorkerId.decoder(modality)}.
     */
    static Behavior<DecoderWorker.Command> create(int modality, String name, List<Network> networks, Likelihood likelihood,
                                                  List<Placement.Device> devices, WorkerHooks hooks) {
        return Behaviors.setup(ctx -> {
            List<ActorRef<DecoderWorker.Command>> replicas = new ArrayList<>();
            for (int i = 0; i < networks.size(); i++) {
                WorkerId id = WorkerId.decoder(modality).replica(i);
                replicas.add(ctx.spawn(DecoderWorker.create(id, name, networks.get(i), likelihood, devices.get(i),
                        hooks.reportingGradients(), !hooks.reportGradients()), "replica-" + i, DispatcherSelector.fromConfig(devices.get(i).dispatcher())));
            }
            return new DecoderReplicas(ctx, WorkerId.decoder(modality), replicas, hooks.reportGradients());
        });
    }

    private DecoderReplicas(ActorContext<DecoderWorker.Command> ctx, WorkerId id,
                            List<ActorRef<DecoderWorker.Command>> replicas, boolean reportGradients) {
        super(ctx, id, replicas, reportGradients);
    }

    @Override
    public Receive<DecoderWorker.Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(DecoderWorker.Decode.class, this::onDecode)
                .onMessage(DecoderWorker.Backprop.class, this::onBackprop)
                .onMessage(WorkerProtocol.Commit.class, this::onCommit)
                .onMessage(WorkerProtocol.Abort.class, this::onAbort)
                .onMessage(WorkerProtocol.Snapshot.class, this::onSnapshot)
                .onMessage(WorkerProtocol.Load.class, this::onLoad)
                .build();
    }

    private Behavior<DecoderWorker.Command> onDecode(DecoderWorker.Decode msg) {
        List<Function<ActorRef<WorkerProtocol.Reply>, DecoderWorker.Command>> shares = new ArrayList<>();
        for (int[] rows : RowChunks.ranges(msg.request().rows(), replicas.size())) {
            shares.add(r -> new DecoderWorker.Decode(msg.step(), msg.attempt(), RowChunks.rows(msg.request(), rows),
                    msg.x(), r));
        }
        gather(msg.step(), msg.attempt(), msg.replyTo(), shares, replies -> msg.replyTo().tell(
                msg.request().coefficients() == null ? logLikelihoods(msg.step(), msg.attempt(), replies)
                        : decoded(msg.step(), msg.attempt(), replies)));
        return this;
    }

    private Behavior<DecoderWorker.Command> onBackprop(DecoderWorker.Backprop msg) {
        List<Function<ActorRef<WorkerProtocol.Reply>, DecoderWorker.Command>> shares = new ArrayList<>();
        for (int[] rows : RowChunks.ranges((int) msg.coefficients().length(), replicas.size())) {
            shares.add(r -> new DecoderWorker.Backprop(msg.step(), msg.attempt(), RowChunks.rows(msg.coefficients(), rows), r));
        }
        gather(msg.step(), msg.attempt(), msg.replyTo(), shares, replies -> {
            List<WorkerProtocol.Backpropagated> parts = replies.stream().map(r -> (WorkerProtocol.Backpropagated) r).toList();
            INDArray dz = RowChunks.concat(parts.stream().map(WorkerProtocol.Backpropagated::dz).toList());
            INDArray grad = share(msg.step(), parts.stream().map(WorkerProtocol.Backpropagated::grad).toList());
            msg.replyTo().tell(new WorkerProtocol.Backpropagated(msg.step(), msg.attempt(), id.modality(), dz, grad));
        });
        return this;
    }

    /** The replicas' log-likelihoods in row order. */
    private WorkerProtocol.LogLikelihoods logLikelihoods(long step, int attempt, List<WorkerProtocol.Reply> replies) {
        List<INDArray> parts = replies.stream().map(r -> ((WorkerProtocol.LogLikelihoods) r).logProb()).toList();
        return new WorkerProtocol.LogLikelihoods(step, attempt, id.modality(), RowChunks.concat(parts));
    }

    /** The replicas' log-likelihoods and dL/dz in row order, and their summed gradient (shared with every replica). */
    private WorkerProtocol.Decoded decoded(long step, int attempt, List<WorkerProtocol.Reply> replies) {
        List<WorkerProtocol.Decoded> parts = replies.stream().map(r -> (WorkerProtocol.Decoded) r).toList();
        INDArray logProb = RowChunks.concat(parts.stream().map(WorkerProtocol.Decoded::logProb).toList());
        INDArray dz = RowChunks.concat(parts.stream().map(WorkerProtocol.Decoded::dz).toList());
        INDArray grad = share(step, parts.stream().map(WorkerProtocol.Decoded::grad).toList());
        return new WorkerProtocol.Decoded(step, attempt, id.modality(), logProb, dz, grad);
    }
}
