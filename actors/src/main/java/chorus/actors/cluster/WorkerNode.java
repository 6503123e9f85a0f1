package chorus.actors.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.replicas.ModalityWorkers;
import chorus.models.MultimodalVae;
import chorus.models.nn.kernel.IntraOp;
import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker node: an actor system in the cluster that hosts the encoder and decoder workers of the
 * modalities {@code chorus.cluster.nodes.<role>} lists, registered with the Receptionist under one key per
 * modality and kind, where the coordinator finds them. It serves one training run: when the coordinator
 * leaves the cluster (or the node is cut off from it and downed) the node stops.
 */
public final class WorkerNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerNode.class);

    private final ActorSystem<ClusterEvent.ClusterDomainEvent> system;
    private final CompletableFuture<Address> joined;
    private final CompletableFuture<String> refused;

    private WorkerNode(ActorSystem<ClusterEvent.ClusterDomainEvent> system, CompletableFuture<Address> joined,
                       CompletableFuture<String> refused) {
        this.system = system;
        this.joined = joined;
        this.refused = refused;
    }

    /**
     * Starts the node, its workers (on their devices' dispatchers) and joins the cluster.
     *
     * @param name      the actor system's name: the same on every node of the cluster
     * @param model     the model built from the shared config and seed; only the hosted modalities' networks are used
     * @param cluster   the cluster settings; its role names this node
     * @param placement the device of each modality's workers
     * @param akka      extra Akka settings, layered over the cluster's
     */
    public static WorkerNode start(String name, MultimodalVae model, ClusterSettings cluster, Placement placement, Config akka) {
        if (!cluster.enabled()) {
            throw new IllegalArgumentException("a worker node needs chorus.cluster.enabled = true");
        }
        List<String> hosted = cluster.hostedHere();
        List<String> names = model.modalities().stream().map(chorus.data.Modality::name).toList();
        if (!names.containsAll(hosted)) {
            throw new IllegalArgumentException("worker node " + cluster.role() + " hosts " + hosted + ", the model has " + names);
        }
        Config config = ClusterNode.systemConfig(akka, cluster, placement);
        IntraOp pool = placement.intraOp(); // shared by this system's CPU workers, closed with it
        placement.shareIntraOp(model, pool);
        CompletableFuture<Address> joined = new CompletableFuture<>();
        CompletableFuture<String> refused = new CompletableFuture<>();
        ActorSystem<ClusterEvent.ClusterDomainEvent> system = ActorSystem.create(
                guardian(model, names, hosted, placement, cluster, joined, refused), name, config);
        system.getWhenTerminated().thenRun(pool::close);
        return new WorkerNode(system, joined, refused);
    }

    /**
     * The node's guardian: starts its config gate and the hosted modalities' workers and registers them, joins
     * the cluster, and follows its membership: this node Up completes {@code joined}; the coordinator gone stops
     * the node.
     */
    private static Behavior<ClusterEvent.ClusterDomainEvent> guardian(MultimodalVae model, List<String> names,
                                                                     List<String> hosted, Placement placement,
                                                                     ClusterSettings cluster,
                                                                     CompletableFuture<Address> joined,
                                                                     CompletableFuture<String> refused) {
        return Behaviors.setup(ctx -> {
            ActorRef<ConfigGate.Command> gate = ctx.spawn(ConfigGate.create(cluster.describeNode(cluster.role()),
                    cluster.shared(), refused), "config-gate");
            ctx.getSystem().receptionist().tell(Receptionist.register(ClusterNode.gateKey(cluster.role()), gate));
            for (String m : hosted) {
                int j = names.indexOf(m);
                Props props = ModalityWorkers.props(placement, j);
                ActorRef<EncoderWorker.Command> enc = ctx.spawn(ModalityWorkers.encoder(model, j, m, placement,
                        WorkerHooks.NONE), "encoder-" + m, props);
                ActorRef<DecoderWorker.Command> dec = ctx.spawn(ModalityWorkers.decoder(model, j, m, placement,
                        WorkerHooks.NONE), "decoder-" + m, props);
                ctx.getSystem().receptionist().tell(Receptionist.register(ClusterNode.encoderKey(m), enc));
                ctx.getSystem().receptionist().tell(Receptionist.register(ClusterNode.decoderKey(m), dec));
            }
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(),
                    ClusterEvent.ClusterDomainEvent.class));
            ClusterNode.join(ctx.getSystem(), cluster);
            return Behaviors.receiveMessage(e -> onClusterEvent(ctx.getSystem(), e, joined));
        });
    }

    private static Behavior<ClusterEvent.ClusterDomainEvent> onClusterEvent(ActorSystem<?> system,
                                                                           ClusterEvent.ClusterDomainEvent e,
                                                                           CompletableFuture<Address> joined) {
        Address self = Cluster.get(system).selfMember().address();
        if (e instanceof ClusterEvent.MemberUp up && up.member().address().equals(self)) {
            joined.complete(self);
        } else if (e instanceof ClusterEvent.MemberRemoved removed
                && removed.member().hasRole(ClusterSettings.COORDINATOR)) {
            LOG.info("the coordinator {} left the cluster: this worker node stops", removed.member().address());
            system.terminate();
        }
        return Behaviors.same();
    }

    /** This node's address (its port is known once started, also with port 0). */
    public Address address() {
        return Cluster.get(system).selfMember().address();
    }

    /** Completes with this node's address once it is an Up member of the cluster. */
    public CompletionStage<Address> joined() {
        return joined;
    }

    /**
     * Completes with the one-line reason when the node refused a coordinator whose shared config differs from its
     * own (the node then stops when that coordinator does).
     */
    public CompletionStage<String> refused() {
        return refused;
    }

    /** Completes when the node has stopped (closed, the coordinator left, or it could not join). */
    public CompletionStage<akka.Done> terminated() {
        return system.getWhenTerminated();
    }

    @Override
    public void close() {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
    }
}
