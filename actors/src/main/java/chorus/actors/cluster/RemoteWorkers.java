package chorus.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.models.MultimodalVae;
import chorus.models.nn.Network;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The coordinator's side of the cluster: waits (up to the join timeout) until every modality that a
 * worker node hosts has registered its encoder and decoder, then loads the coordinator's parameters and
 * optimizer state into them — equal to the worker node's own on a fresh run (same config and seed), the
 * checkpoint's on a resume — so every node starts from the coordinator's model.
 */
public final class RemoteWorkers {

    private RemoteWorkers() {
    }

    /**
     * The modalities whose workers run on worker nodes, in the order the cluster settings list them (empty: a
     * cluster of the coordinator alone, nothing to wait for).
     *
     * @throws IllegalArgumentException if the settings host a modality the model does not have
     */
    public static List<String> remoteModalities(ClusterSettings s, List<String> names) {
        List<String> remote = List.copyOf(s.remoteModalities());
        if (!names.containsAll(remote)) {
            throw new IllegalArgumentException("chorus.cluster.nodes host modalities " + remote + ", the model has " + names);
        }
        return remote;
    }

    /**
     * Fills the remote modalities' places in {@code encoders} and {@code decoders} (null there on entry) with
     * the workers {@code f} found (a {@link WorkerDiscovery}'s answer), loaded with {@code model}'s state.
     *
     * @throws ClusterException naming the missing modalities, this node and the seed nodes it tried; or a
     *                          worker whose network differs from the coordinator's
     */
    public static void attach(ActorSystem<?> system, ClusterSettings s, MultimodalVae model, WorkerDiscovery.Found f,
                              List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders) {
        List<String> names = model.modalities().stream().map(chorus.data.Modality::name).toList();
        List<String> remote = remoteModalities(s, names);
        if (f.problem() != null) {            throw new ClusterException(f.problem() + " within " + s.joinTimeout().toSeconds() + " s (chorus.cluster.join-timeout); "
                    + ClusterNode.describe(system, s) + ". Start `chorus worker` with the same config and -Dchorus.cluster.role"
                    + " set to the node hosting them (chorus.cluster.nodes " + s.nodes() + ").");
        }
        List<CompletionStage<WorkerProtocol.Loaded>> loads = new ArrayList<>();
        for (String m : remote) {
            int j = names.indexOf(m);
            encoders.set(j, f.encoders().get(m));
            decoders.set(j, f.decoders().get(m));
            loads.add(load(system, f.encoders().get(m).narrow(), model.encoders().get(j), s.joinTimeout()));
            loads.add(load(system, f.decoders().get(m).narrow(), model.decoders().get(j), s.joinTimeout()));
        }
        for (int i = 0; i < loads.size(); i++) {
            String m = remote.get(i / 2);
            WorkerId expected = i % 2 == 0 ? WorkerId.encoder(names.indexOf(m)) : WorkerId.decoder(names.indexOf(m));
            WorkerProtocol.Loaded loaded = loads.get(i).toCompletableFuture().join();
            if (loaded.error() != null || !loaded.worker().equals(expected)) {
                throw new ClusterException("the " + expected + " worker of modality '" + m + "' on " + f.encoders().get(m).path().address()
                        + " cannot take the coordinator's model: " + (loaded.error() != null ? loaded.error()
                        : "it is " + loaded.worker() + " there (another modality order)") + "; give every node the same config");
            }
        }
    }

    private static CompletionStage<WorkerProtocol.Loaded> load(ActorSystem<?> system, ActorRef<WorkerProtocol.Load> worker,
                                                               Network network, Duration timeout) {
        return AskPattern.ask(worker, r -> new WorkerProtocol.Load(network.params(), network.updaterState(), r), timeout,
                system.scheduler());
    }
}
