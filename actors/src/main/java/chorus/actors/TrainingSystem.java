package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import chorus.data.Batch;
import chorus.models.MultimodalVae;
import chorus.models.objective.Objective;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A running training system in this JVM: one encoder and one decoder worker per modality and the
 * combiner. The networks of the model passed in now belong to the workers: do not use them elsewhere.
 */
public final class TrainingSystem implements AutoCloseable {

    private final ActorSystem<Void> system;
    private final List<ActorRef<EncoderWorker.Command>> encoders;
    private final List<ActorRef<DecoderWorker.Command>> decoders;
    private final ActorRef<Combiner.Command> combiner;
    private final Duration timeout;

    private TrainingSystem(ActorSystem<Void> system, List<ActorRef<EncoderWorker.Command>> encoders,
                           List<ActorRef<DecoderWorker.Command>> decoders, ActorRef<Combiner.Command> combiner,
                           Duration timeout) {
        this.system = system;
        this.encoders = encoders;
        this.decoders = decoders;
        this.combiner = combiner;
        this.timeout = timeout;
    }

    /** Starts the workers and the combiner for {@code model} (which it takes ownership of). */
    public static TrainingSystem start(String name, MultimodalVae model, Objective objective, DataType dtype,
                                       Config akka) {
        Config config = akka.withFallback(ConfigFactory.parseString(
                "akka.actor.provider = local\nakka.loggers = [\"akka.event.slf4j.Slf4jLogger\"]\n"
                        + "akka.logging-filter = \"akka.event.slf4j.Slf4jLoggingFilter\"\nakka.loglevel = INFO"))
                .withFallback(ConfigFactory.defaultReference());
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
        List<ActorRef<EncoderWorker.Command>> enc = new ArrayList<>();
        List<ActorRef<DecoderWorker.Command>> dec = new ArrayList<>();
        for (int j = 0; j < model.modalities().size(); j++) {
            String mod = model.modalities().get(j).name();
            enc.add(system.systemActorOf(EncoderWorker.create(j, model.encoders().get(j)), "encoder-" + mod, Props.empty()));
            dec.add(system.systemActorOf(DecoderWorker.create(j, model.decoders().get(j), model.likelihoods().get(j)),
                    "decoder-" + mod, Props.empty()));
        }
        ActorRef<Combiner.Command> combiner = system.systemActorOf(
                Combiner.create(enc, dec, objective, model.latent(), dtype), "combiner", Props.empty());
        return new TrainingSystem(system, List.copyOf(enc), List.copyOf(dec), combiner, Duration.ofMinutes(5));
    }

    /** Runs one step; completes when every worker has applied its update. */
    public CompletionStage<StepReport> step(Batch batch, double beta, int iteration) {
        return AskPattern.ask(combiner, (ActorRef<StepReport> r) -> new Combiner.Step(batch, beta, iteration, r),
                timeout, system.scheduler());
    }

    /** Parameters and optimizer state of every worker: encoders first, then decoders, in modality order. */
    public List<WorkerState> snapshot() {
        List<WorkerState> out = new ArrayList<>();
        for (var e : encoders) {
            out.add(ask(e, EncoderWorker.Snapshot::new));
        }
        for (var d : decoders) {
            out.add(ask(d, DecoderWorker.Snapshot::new));
        }
        return out;
    }

    private <T> WorkerState ask(ActorRef<T> worker, java.util.function.Function<ActorRef<WorkerState>, T> msg) {
        return AskPattern.ask(worker, msg::apply, timeout, system.scheduler()).toCompletableFuture().join();
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
