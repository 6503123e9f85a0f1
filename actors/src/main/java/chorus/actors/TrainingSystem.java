package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import chorus.actors.cluster.ClusterNode;
import chorus.actors.cluster.ClusterSettings;
import chorus.actors.cluster.NodeRejoin;
import chorus.actors.cluster.RemoteWorkers;
import chorus.actors.cluster.WorkerDiscovery;
import chorus.actors.coordinator.Combiner;
import chorus.actors.coordinator.Crew;
import chorus.actors.coordinator.DataLoader;
import chorus.actors.coordinator.Rejoin;
import chorus.actors.coordinator.TrainPlan;
import chorus.actors.coordinator.Trainer;
import chorus.actors.coordinator.reporting.Evaluator;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.coordinator.step.StepFailure;
import chorus.actors.coordinator.step.StepOutcome;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerProtocol;
import chorus.actors.workers.WorkerState;
import chorus.actors.workers.replicas.ModalityWorkers;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.models.MultimodalVae;
import chorus.models.nn.kernel.IntraOp;
import chorus.models.objective.Objective;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A running training system: one encoder and one decoder worker per modality (each on its device's
 * dispatcher, in this JVM or, with the cluster on, on the worker node that hosts the modality) and the
 * combiner; {@link #train} adds the loader, trainer, reporter and evaluator for a whole run, {@link #step}
 * drives single steps (tests, benchmarks). The networks of the model passed in now belong to the workers:
 * do not use them elsewhere.
 */
public final class TrainingSystem implements AutoCloseable {

    /**
     * How to start.
     *
     * @param name       the actor system's name
     * @param dtype      the data type of experts and latents
     * @param placement  the device of each modality's workers
     * @param maxRetries attempts of a failed step after the first
     * @param akka       extra Akka settings, layered over the defaults
     * @param cluster    whether and how to join a cluster, and which modalities' workers run on worker nodes
     * @param hooks      the workers' test hooks; {@link WorkerHooks#NONE} in a real run
     */
    public record Options(String name, DataType dtype, Placement placement, int maxRetries, Config akka,
                          ClusterSettings cluster, WorkerHooks hooks) {

        /** Everything on the CPU of this JVM, 3 retries, no hooks. */
        public static Options local(String name, DataType dtype, int modalities) {
            return new Options(name, dtype, Placement.allCpu(modalities), 3, ConfigFactory.empty(), ClusterSettings.LOCAL,
                    WorkerHooks.NONE);
        }

        public Options withHooks(WorkerHooks h) {
            return new Options(name, dtype, placement, maxRetries, akka, cluster, h);
        }

        public Options withPlacement(Placement p) {
            return new Options(name, dtype, p, maxRetries, akka, cluster, hooks);
        }

        public Options withMaxRetries(int retries) {
            return new Options(name, dtype, placement, retries, akka, cluster, hooks);
        }

        public Options withAkka(Config settings) {
            return new Options(name, dtype, placement, maxRetries, settings, cluster, hooks);
        }

        public Options withCluster(ClusterSettings c) {
            return new Options(name, dtype, placement, maxRetries, akka, c, hooks);
        }
    }

    /** A step ended in a {@link StepFailure}. */
    public static final class StepFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailedException(String message) {
            super(message);
        }
    }

    private final ActorSystem<Guardian.Command> system;
    private final MultimodalVae evaluationCopy;
    private final List<String> names;
    private final List<ActorRef<EncoderWorker.Command>> encoders;
    private final List<ActorRef<DecoderWorker.Command>> decoders;
    private final ActorRef<Combiner.Command> combiner;
    private final Rejoin rejoin; // null: a lost worker node stops the run
    private final Duration timeout = Duration.ofMinutes(10);
    private ActorRef<Trainer.Command> trainer;

    private TrainingSystem(ActorSystem<Guardian.Command> system, MultimodalVae evaluationCopy, List<String> names,
                           List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                           ActorRef<Combiner.Command> combiner, Rejoin rejoin) {
        this.system = system;
        this.rejoin = rejoin;
        this.evaluationCopy = evaluationCopy;
        this.names = names;
        this.encoders = encoders;
        this.decoders = decoders;
        this.combiner = combiner;
    }

    /** Starts local CPU workers and the combiner for {@code model} (which it takes ownership of). */
    public static TrainingSystem start(String name, MultimodalVae model, Objective objective, DataType dtype, Config akka) {
        return start(model, objective, Options.local(name, dtype, model.modalities().size()).withAkka(akka));
    }

    /**
     * Starts the workers (each on its device's dispatcher) and the combiner for {@code model}, which it takes.
     * With the cluster on, it joins it and waits for the workers of the modalities that worker nodes host,
     * loading {@code model}'s state into them; the others run here.
     *
     * @throws ClusterException when the remote workers do not all register within the join timeout
     */
    public static TrainingSystem start(MultimodalVae model, Objective objective, Options o) {
        Config config = ClusterNode.systemConfig(o.akka(), o.cluster(), o.placement());
        ActorSystem<Guardian.Command> system = ActorSystem.create(Guardian.create(), o.name(), config);
        IntraOp pool = o.placement().intraOp(); // shared by this system's CPU workers, closed with it
        o.placement().shareIntraOp(model, pool);
        system.getWhenTerminated().thenRun(pool::close);
        try {
            MultimodalVae copy = model.inferenceCopy(); // the evaluator's: it only reads parameters
            List<String> names = model.modalities().stream().map(chorus.data.Modality::name).toList();
            List<ActorRef<EncoderWorker.Command>> enc = new ArrayList<>();
            List<ActorRef<DecoderWorker.Command>> dec = new ArrayList<>();
            for (int j = 0; j < names.size(); j++) {
                if (o.cluster().remoteModalities().contains(names.get(j))) {
                    enc.add(null); // found and loaded below
                    dec.add(null);
                    continue;
                }
                Props props = ModalityWorkers.props(o.placement(), j);
                enc.add(Guardian.start(system, ModalityWorkers.encoder(model, j, names.get(j), o.placement(), o.hooks()),
                        "encoder-" + names.get(j), props));
                dec.add(Guardian.start(system, ModalityWorkers.decoder(model, j, names.get(j), o.placement(), o.hooks()),
                        "decoder-" + names.get(j), props));
            }
            if (o.cluster().enabled()) {
                ClusterNode.join(system, o.cluster());
                attachRemote(system, o.cluster(), model, names, enc, dec);
            }
            ActorRef<Combiner.Command> combiner = Guardian.start(system, Combiner.create(new Combiner.Setup(enc, dec,
                    objective, model.latent(), o.dtype(), o.maxRetries(), nodes(o.cluster(), names))), "combiner",
                    Props.empty());
            Rejoin rejoin = o.cluster().elastic() ? NodeRejoin.of(o.cluster(), names) : null;
            return new TrainingSystem(system, copy, names, List.copyOf(enc), List.copyOf(dec), combiner, rejoin);
        } catch (RuntimeException e) {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().join();
            throw e;
        }
    }

    /** Waits for the workers of the modalities that worker nodes host and loads {@code model}'s state into them. */
    private static void attachRemote(ActorSystem<Guardian.Command> system, ClusterSettings cluster, MultimodalVae model,
                                     List<String> names, List<ActorRef<EncoderWorker.Command>> enc,
                                     List<ActorRef<DecoderWorker.Command>> dec) {
        List<String> remote = RemoteWorkers.remoteModalities(cluster, names);
        if (remote.isEmpty()) {
            return; // a cluster of the coordinator alone: nothing to wait for
        }
        CompletableFuture<WorkerDiscovery.Found> found = new CompletableFuture<>();
        Guardian.start(system, WorkerDiscovery.create(remote, List.copyOf(cluster.nodes().keySet()), cluster.joinTimeout(),
                completing(system, "discovery-reply", found)), "worker-discovery", Props.empty());
        RemoteWorkers.attach(system, cluster, model, found.join(), enc, dec);
    }

    /** A one-shot actor that completes {@code future} with the first message it gets, then stops. */
    private static <T> ActorRef<T> completing(ActorSystem<Guardian.Command> system, String name,
                                              CompletableFuture<T> future) {
        return Guardian.start(system, Behaviors.<T>receiveMessage(m -> {
            future.complete(m);
            return Behaviors.stopped();
        }), name, Props.empty());
    }

    /** Modality index → the worker node hosting it: role, description ("worker node 'gpu' (hosting [image])"), modalities. */
    private static Map<Integer, Combiner.Hosted> nodes(ClusterSettings cluster, List<String> names) {
        Map<Integer, Combiner.Hosted> nodes = new HashMap<>();
        if (cluster.enabled()) {
            cluster.nodes().forEach((role, hosted) -> hosted.forEach(m -> nodes.put(names.indexOf(m),
                    new Combiner.Hosted(role, cluster.describeNode(role), hosted))));
        }
        return nodes;
    }

    /** Runs one step; completes when every worker has applied its update (exceptionally if the step failed). */
    public CompletionStage<StepReport> step(Batch batch, double beta, int iteration) {
        return AskPattern.ask(combiner, (ActorRef<StepOutcome> r) -> new Combiner.Step(batch, beta, iteration, r),
                timeout, system.scheduler()).thenCompose(o -> o instanceof StepReport r
                ? CompletableFuture.completedFuture(r)
                : CompletableFuture.failedFuture(new StepFailedException(((StepFailure) o).message())));
    }

    /**
     * Runs the plan: batches from {@code batches} (which it takes), reports through {@code reporting},
     * evaluates on {@code evaluation} (null: never) and saves through {@code sink} (null: never).
     */
    public CompletionStage<Trainer.Finished> train(TrainPlan plan, BatchIterator batches, int prefetch,
                                                  Reporter.Settings reporting, Evaluator.Settings evaluation,
                                                  Trainer.CheckpointSink sink) {
        if (trainer != null) {
            throw new IllegalStateException("this training system is already running a plan");
        }
        ActorRef<DataLoader.Command> loader = Guardian.start(system, DataLoader.create(batches, prefetch), "loader",
                Props.empty());
        ActorRef<Reporter.Command> reporter = Guardian.start(system, Reporter.create(reporting), "reporter", Props.empty());
        ActorRef<Evaluator.Command> evaluator = evaluation == null ? null
                : Guardian.start(system, Evaluator.create(evaluationCopy, evaluation, reporter), "evaluator", Props.empty());
        Crew crew = new Crew(loader, combiner, encoders, decoders, reporter, evaluator, rejoin);
        CompletableFuture<Trainer.Finished> finished = new CompletableFuture<>();
        ActorRef<Trainer.Finished> done = completing(system, "finished", finished);
        trainer = Guardian.start(system, Trainer.create(plan, crew, batches.cursor(), sink, done), "trainer", Props.empty());
        return finished;
    }

    /** Asks a running plan to finish its steps in flight, checkpoint and stop. */
    public void stop() {
        if (trainer != null) {
            trainer.tell(Trainer.Stop.INSTANCE);
        }
    }

    /** Parameters and optimizer state of every worker: encoders first, then decoders, in modality order. */
    public List<WorkerState> snapshot() {
        List<WorkerState> out = new ArrayList<>();
        encoders.forEach(e -> out.add(ask(e, WorkerProtocol.Snapshot::new)));
        decoders.forEach(d -> out.add(ask(d, WorkerProtocol.Snapshot::new)));
        return out;
    }

    /** The encoder workers in modality order, local or on worker nodes (tests check where they run). */
    List<ActorRef<EncoderWorker.Command>> encoders() {
        return encoders;
    }

    /** The actor system (tests reach a modality's replicas through it). */
    ActorSystem<?> actorSystem() {
        return system;
    }

    /** The modality names, in order. */
    public List<String> modalities() {
        return names;
    }

    private <T> WorkerState ask(ActorRef<T> worker, Function<ActorRef<WorkerState>, T> msg) {
        return AskPattern.ask(worker, msg::apply, timeout, system.scheduler()).toCompletableFuture().join();
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
