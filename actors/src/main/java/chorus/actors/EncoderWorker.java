package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.models.nn.Network;
import chorus.models.objective.EncoderStage;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Encoder[m]: owns modality m's encoder network and its optimizer state. Encodes the rows that observe
 * m, keeps the forward state per step until the expert's gradient comes back, then applies the
 * optimizer and reports the parameter gradient.
 */
public final class EncoderWorker extends AbstractBehavior<EncoderWorker.Command> {

    /** What an encoder worker accepts. */
    public sealed interface Command {
    }

    /** Encode {@code x [B, size]} for {@code step}; rows with {@code presence [B]} = 0 are skipped. */
    public record Encode(long step, INDArray x, INDArray presence, ActorRef<Expert> replyTo) implements Command {
    }

    /** dL/d(mu, logvar) {@code [B, D]} of this step's expert: backpropagate and apply the optimizer. */
    public record Backprop(long step, GaussianGrad grad, int iteration, ActorRef<Applied> replyTo) implements Command {
    }

    /** A copy of the parameters and optimizer state. */
    public record Snapshot(ActorRef<WorkerState> replyTo) implements Command {
    }

    /** The expert of modality {@code modality} for {@code step}. */
    public record Expert(long step, int modality, Gaussian expert) {
    }

    /** The worker applied its update for {@code step}; {@code grad} is dL/dθ {@code [1, P]}. */
    public record Applied(long step, WorkerId worker, INDArray grad) {
    }

    private final int modality;
    private final Network network;
    private final Map<Long, EncoderStage> pending = new HashMap<>();

    /** A worker that owns {@code network} (it must not be used elsewhere afterwards). */
    public static Behavior<Command> create(int modality, Network network) {
        return Behaviors.setup(ctx -> new EncoderWorker(ctx, modality, network));
    }

    private EncoderWorker(ActorContext<Command> ctx, int modality, Network network) {
        super(ctx);
        this.modality = modality;
        this.network = network;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Encode.class, this::onEncode)
                .onMessage(Backprop.class, this::onBackprop)
                .onMessage(Snapshot.class, this::onSnapshot)
                .build();
    }

    private Behavior<Command> onEncode(Encode msg) {
        EncoderStage.Forward f = EncoderStage.forward(network, msg.x(), msg.presence());
        pending.put(msg.step(), f.stage());
        msg.replyTo().tell(new Expert(msg.step(), modality, f.expert()));
        return this;
    }

    private Behavior<Command> onBackprop(Backprop msg) {
        EncoderStage stage = pending.remove(msg.step());
        if (stage == null) {
            throw new IllegalStateException("encoder " + modality + ": gradient for step " + msg.step() + " without its forward");
        }
        INDArray grad = stage.backward(msg.grad());
        if (grad != null) {
            Finite.require(grad, "encoder gradient", modality, msg.step());
            network.applyGradient(grad, msg.iteration(), 0);
        }
        msg.replyTo().tell(new Applied(msg.step(), WorkerId.encoder(modality), grad));
        return this;
    }

    private Behavior<Command> onSnapshot(Snapshot msg) {
        msg.replyTo().tell(new WorkerState(WorkerId.encoder(modality), network.params(), network.updaterState()));
        return this;
    }
}
