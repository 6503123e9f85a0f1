package chorus.actors.workers;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.models.check.Checks;
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
 * (ELBO family) it scores and backpropagates in one message; otherwise it scores, waits for the
 * coefficients, then backpropagates. The update is applied when the combiner commits the step.
 */
public final class DecoderWorker extends WorkerBase<DecoderWorker.Command> {

    /** What a decoder worker accepts (plus the shared {@link WorkerProtocol} messages). */
    public sealed interface Command permits Decode, Backprop, WorkerProtocol.Commit, WorkerProtocol.SummedGradient,
            WorkerProtocol.Abort, WorkerProtocol.Snapshot, WorkerProtocol.Load {
    }

    /** Decode {@code request.z()} against this modality's batch tensor {@code x [B, size]}. */
    public record Decode(long step, int attempt, DecodeRequest request, INDArray x,
                         ActorRef<WorkerProtocol.Reply> replyTo) implements Command {
    }

    /** dL/dlogp per request row {@code [R]}, for a request sent without coefficients. */
    public record Backprop(long step, int attempt, INDArray coefficients, ActorRef<WorkerProtocol.Reply> replyTo)
            implements Command {
    }

    private final int modality;
    private final Likelihood likelihood;
    private final Map<Long, DecoderStage> stages;

    /**
     * A supervised worker that owns {@code network} (it must not be used elsewhere afterwards); a failure
     * restarts it with its committed parameters and the forward state of its other steps.
     */
    public static Behavior<Command> create(int modality, String name, Network network, Likelihood likelihood,
                                           Placement.Device device, WorkerHooks hooks) {
        return create(WorkerId.decoder(modality), name, network, likelihood, device, hooks, !hooks.reportGradients());
    }

    /**
     * Like {@link #create(int, String, Network, Likelihood, Placement.Device, WorkerHooks)}, as worker {@code id}
     * (a replica), which releases each gradient once applied when {@code freeApplied} (nobody else holds it).
     */
    public static Behavior<Command> create(WorkerId id, String name, Network network, Likelihood likelihood,
                                           Placement.Device device, WorkerHooks hooks, boolean freeApplied) {
        WorkerNetwork net = new WorkerNetwork(network, freeApplied);
        Map<Long, DecoderStage> stages = new HashMap<>();
        return supervised(Behaviors.<Command>setup(
                        ctx -> new DecoderWorker(ctx, id, name, net, likelihood, stages, device, hooks)));
    }

    private DecoderWorker(ActorContext<Command> ctx, WorkerId id, String name, WorkerNetwork net, Likelihood likelihood,
                          Map<Long, DecoderStage> stages, Placement.Device device, WorkerHooks hooks) {
        super(ctx, id, name, net, device, hooks);
        this.modality = id.modality();
        this.likelihood = likelihood;
        this.stages = stages;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Decode.class, this::onDecode)
                .onMessage(Backprop.class, this::onBackprop)
                .onMessage(WorkerProtocol.Commit.class, this::onCommit)
                .onMessage(WorkerProtocol.SummedGradient.class, this::onSummedGradient)
                .onMessage(WorkerProtocol.Abort.class, this::onAbort)
                .onMessage(WorkerProtocol.Snapshot.class, this::onSnapshot)
                .onMessage(WorkerProtocol.Load.class, this::onLoad)
                .build();
    }

    private Behavior<Command> onDecode(Decode msg) {
        stages.remove(msg.step());
        WorkerProtocol.Reply reply = guard("forward", msg.step(), msg.attempt(), msg.replyTo(), () -> {
            DecoderStage stage = DecoderStage.forward(net.forward(msg.step()), likelihood, msg.request(), msg.x());
            INDArray logProb = stage.logProb();
            Checks.finite("log-likelihood at step " + msg.step(), logProb);
            if (msg.request().coefficients() == null) {
                stages.put(msg.step(), stage);
                return new WorkerProtocol.LogLikelihoods(msg.step(), msg.attempt(), modality, logProb);
            }
            Gradients g = backprop(msg.step(), stage, msg.request().coefficients());
            return new WorkerProtocol.Decoded(msg.step(), msg.attempt(), modality, logProb, g.input(), reported(g.params()));
        });
        msg.replyTo().tell(reply);
        return this;
    }

    private Behavior<Command> onBackprop(Backprop msg) {
        Gradients g = guard("backward", msg.step(), msg.attempt(), msg.replyTo(), () -> {
            DecoderStage stage = stages.remove(msg.step());
            if (stage == null) {
                throw new IllegalStateException("coefficients for step " + msg.step() + " without its forward");
            }
            return backprop(msg.step(), stage, msg.coefficients());
        });
        msg.replyTo().tell(new WorkerProtocol.Backpropagated(msg.step(), msg.attempt(), modality, g.input(),
                reported(g.params())));
        return this;
    }

    /** Backpropagates the coefficients into dL/dz and dL/dθ; keeps dL/dθ for the commit. */
    private Gradients backprop(long step, DecoderStage stage, INDArray coefficients) {
        Gradients g = stage.backward(coefficients);
        Checks.finite("decoder gradient at step " + step, g.params());
        net.computed(step, g.params());
        return g;
    }

    @Override
    protected Behavior<Command> onAbort(WorkerProtocol.Abort msg) {
        stages.remove(msg.step());
        return super.onAbort(msg);
    }
}
