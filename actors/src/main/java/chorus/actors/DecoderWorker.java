package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Gradients;
import chorus.models.nn.Network;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.DecoderStage;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Decoder[m]: owns modality m's decoder network and optimizer state. Per step it receives ONE request
 * holding the z rows of every term that reconstructs m. When the request carries its coefficients
 * (ELBO family) it scores, backpropagates and applies in one message; otherwise it scores, waits for the
 * coefficients, then backpropagates.
 */
public final class DecoderWorker extends AbstractBehavior<DecoderWorker.Command> {

    /** What a decoder worker accepts. */
    public sealed interface Command {
    }

    /** Decode {@code request.z()} against this modality's batch tensor {@code x [B, size]}. */
    public record Decode(long step, DecodeRequest request, INDArray x, int iteration, ActorRef<Decoded> replyTo)
            implements Command {
    }

    /** dL/dlogp per request row, for a request sent without coefficients. */
    public record Backprop(long step, INDArray coefficients, ActorRef<Decoded> replyTo) implements Command {
    }

    /** A copy of the parameters and optimizer state. */
    public record Snapshot(ActorRef<WorkerState> replyTo) implements Command {
    }

    /**
     * The decoder's answer: log-likelihoods per row, and — once backpropagated — dL/dz {@code [R, D]} and
     * dL/dθ {@code [1, P]} (null before).
     */
    public record Decoded(long step, int modality, INDArray logProb, INDArray dz, INDArray grad) {
    }

    private final int modality;
    private final Network network;
    private final Likelihood likelihood;
    private final Map<Long, Pending> pending = new HashMap<>();

    private record Pending(DecoderStage stage, INDArray logProb, int iteration) {
    }

    /** A worker that owns {@code network} (it must not be used elsewhere afterwards). */
    public static Behavior<Command> create(int modality, Network network, Likelihood likelihood) {
        return Behaviors.setup(ctx -> new DecoderWorker(ctx, modality, network, likelihood));
    }

    private DecoderWorker(ActorContext<Command> ctx, int modality, Network network, Likelihood likelihood) {
        super(ctx);
        this.modality = modality;
        this.network = network;
        this.likelihood = likelihood;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Decode.class, this::onDecode)
                .onMessage(Backprop.class, this::onBackprop)
                .onMessage(Snapshot.class, this::onSnapshot)
                .build();
    }

    private Behavior<Command> onDecode(Decode msg) {
        DecoderStage stage = DecoderStage.forward(network, likelihood, msg.request(), msg.x());
        INDArray logProb = stage.logProb();
        Finite.require(logProb, "log-likelihood", modality, msg.step());
        if (msg.request().coefficients() == null) {
            pending.put(msg.step(), new Pending(stage, logProb, msg.iteration()));
            msg.replyTo().tell(new Decoded(msg.step(), modality, logProb, null, null));
        } else {
            msg.replyTo().tell(backprop(msg.step(), stage, logProb, msg.request().coefficients(), msg.iteration()));
        }
        return this;
    }

    private Behavior<Command> onBackprop(Backprop msg) {
        Pending p = pending.remove(msg.step());
        if (p == null) {
            throw new IllegalStateException("decoder " + modality + ": coefficients for step " + msg.step() + " without its forward");
        }
        msg.replyTo().tell(backprop(msg.step(), p.stage(), p.logProb(), msg.coefficients(), p.iteration()));
        return this;
    }

    private Decoded backprop(long step, DecoderStage stage, INDArray logProb, INDArray coefficients, int iteration) {
        Gradients g = stage.backward(coefficients);
        Finite.require(g.params(), "decoder gradient", modality, step);
        network.applyGradient(g.params(), iteration, 0);
        return new Decoded(step, modality, logProb, g.input(), g.params());
    }

    private Behavior<Command> onSnapshot(Snapshot msg) {
        msg.replyTo().tell(new WorkerState(WorkerId.decoder(modality), network.params(), network.updaterState()));
        return this;
    }
}
