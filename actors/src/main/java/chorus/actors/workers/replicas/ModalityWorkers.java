package chorus.actors.workers.replicas;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.Placement;
import chorus.models.MultimodalVae;
import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a modality's encoder and decoder as the placement says: one worker on its device's dispatcher, or,
 * with replicas, a router (on Akka's default dispatcher: it only cuts and joins rows) over that many workers,
 * each on its own device's dispatcher. Either way the caller gets one reference per role.
 */
public final class ModalityWorkers {

    private ModalityWorkers() {
    }

    /** Modality {@code j}'s encoder, which takes {@code model}'s encoder network (and copies it for further replicas). */
    public static ActorRef<EncoderWorker.Command> encoder(ActorSystem<?> system, MultimodalVae model, int j, String name,
                                                          Placement placement, WorkerHooks hooks) {
        List<Placement.Device> devices = placement.replicas(j);
        if (devices.size() == 1) {
            return system.systemActorOf(EncoderWorker.create(j, name, model.encoders().get(j), devices.get(0), hooks),
                    "encoder-" + name, DispatcherSelector.fromConfig(devices.get(0).dispatcher()));
        }
        return system.systemActorOf(EncoderReplicas.create(j, name, copies(model.encoders().get(j), devices.size()),
                devices, hooks), "encoder-" + name, Props.empty());
    }

    /** Modality {@code j}'s decoder, which takes {@code model}'s decoder network (and copies it for further replicas). */
    public static ActorRef<DecoderWorker.Command> decoder(ActorSystem<?> system, MultimodalVae model, int j, String name,
                                                          Placement placement, WorkerHooks hooks) {
        List<Placement.Device> devices = placement.replicas(j);
        if (devices.size() == 1) {
            return system.systemActorOf(DecoderWorker.create(j, name, model.decoders().get(j), model.likelihoods().get(j),
                    devices.get(0), hooks), "decoder-" + name, DispatcherSelector.fromConfig(devices.get(0).dispatcher()));
        }
        return system.systemActorOf(DecoderReplicas.create(j, name, copies(model.decoders().get(j), devices.size()),
                model.likelihoods().get(j), devices, hooks), "decoder-" + name, Props.empty());
    }

    /** {@code network} and n - 1 identical copies (parameters and optimizer state). */
    private static List<Network> copies(Network network, int n) {
        List<Network> out = new ArrayList<>(List.of(network));
        for (int i = 1; i < n; i++) {
            out.add(network.copy());
        }
        return out;
    }
}
