package chorus.actors.workers;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.models.check.Checks;
import chorus.models.nn.Network;
import chorus.models.objective.EncoderStage;
import chorus.models.posterior.GaussianGrad;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Encoder[m]: owns modality m's encoder network and its optimizer state. Encodes the rows that observe
 * m, keeps the forward state per step until the expert's gradient comes back, computes its parameter
 * gradient, and applies it when the combiner commits the step.
 */
public final class EncoderWorker extends WorkerBase<EncoderWorker.Command> {

    /** What an encoder worker accepts (plus the shared {@link WorkerProtocol} messages). */
    public sealed interface Command permits Encode, Backprop, WorkerProtocol.Commit, WorkerProtocol.SummedGradient,
            WorkerProtocol.Abort, WorkerProtocol.Snapshot, WorkerProtocol.Load {
    }

    /** Encode {@code x [B, size]} for {@code step}; rows with {@code presence [B]} = 0 are skipped. */
    public record Encode(long step, int attempt, INDArray x, INDArray presence, ActorRef<WorkerProtocol.Reply> replyTo)
            implements Command {
    }

    /** dL/d(mu, logvar) {@code [B, D]} of this step's expert: compute the parameter gradient. */
    public record Backprop(long step, int attempt, GaussianGrad grad, ActorRef<WorkerProtocol.Reply> replyTo)
            implements Command {
    }

    private final int modality;
    private final Map<Long, EncoderStage> stages;

    /**
     * A supervised worker that owns {@code network} (it must not be used elsewhere afterwards); a failure
     * restarts it with its committed parameters and the forward state of its other steps.
     */
    public static Behavior<Command> create(int modality, String name, Network network, Placement.Device device,
                                           WorkerHooks hooks) {
        return create(WorkerId.encoder(modality), name, network, device, hooks, !hooks.reportGradients());
    }

    /**
     * Like {@link #create(int, String, Network, Placement.Device, WorkerHooks)}, as worker {@code id} (a replica),
     * which releases each gradient once applied when {@code freeApplied} (nobody else holds it).
     */
    public static Behavior<Command> create(WorkerId id, String name, Network network, Placement.Device device,
                                           WorkerHooks hooks, boolean freeApplied) {
        WorkerNetwork net = new WorkerNetwork(network, freeApplied);
        Map<Long, EncoderStage> stages = new HashMap<>();
        return supervised(Behaviors.<Command>setup(
                        ctx -> new EncoderWorker(ctx, id, name, net, stages, device, hooks)));
    }

    private EncoderWorker(ActorContext<Command> ctx, WorkerId id, String name, WorkerNetwork net,
                          Map<Long, EncoderStage> stages, Placement.Device device, WorkerHooks hooks) {
        super(ctx, id, name, net, device, hooks);
        this.modality = id.modality();
        this.stages = stages;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Encode.class, this::onEncode)
                .onMessage(Backprop.class, this::onBackprop)
                .onMessage(WorkerProtocol.Commit.class, this::onCommit)
                .onMessage(WorkerProtocol.SummedGradient.class, this::onSummedGradient)
                .onMessage(WorkerProtocol.Abort.class, this::onAbort)
                .onMessage(WorkerProtocol.Snapshot.class, this::onSnapshot)
                .onMessage(WorkerProtocol.Load.class, this::onLoad)
                .build();
    }

    private Behavior<Command> onEncode(Encode msg) {
        stages.remove(msg.step());
        var expert = guard("forward", msg.step(), msg.attempt(), msg.replyTo(), () -> {
            EncoderStage.Forward f = EncoderStage.forward(net.forward(msg.step()), msg.x(), msg.presence());
            stages.put(msg.step(), f.stage());
            return f.expert();
        });
        msg.replyTo().tell(new WorkerProtocol.Expert(msg.step(), msg.attempt(), modality, expert));
        return this;
    }

    private Behavior<Command> onBackprop(Backprop msg) {
        INDArray grad = guard("backward", msg.step(), msg.attempt(), msg.replyTo(), () -> {
            EncoderStage stage = stages.remove(msg.step());
            if (stage == null) {
                throw new IllegalStateException("gradient for step " + msg.step() + " without its forward");
            }
            INDArray g = stage.backward(msg.grad());
            if (g != null) {
                Checks.finite("encoder gradient at step " + msg.step(), g);
            }
            net.computed(msg.step(), g);
            return g;
        });
        msg.replyTo().tell(new WorkerProtocol.Computed(msg.step(), msg.attempt(), id, reported(grad)));
        return this;
    }

    @Override
    protected Behavior<Command> onAbort(WorkerProtocol.Abort msg) {
        stages.remove(msg.step());
        return super.onAbort(msg);
    }
}
