package chorus.actors.workers.replicas;

import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.Placement;
import chorus.actors.workers.WorkerHooks;
import chorus.models.MultimodalVae;
import chorus.models.nn.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a modality's encoder and decoder as the placement says: one worker on its device's dispatcher, or,
 * with replicas, a router (on Akka's default dispatcher: it only cuts and joins rows) over that many workers,
 * each on its own device's dispatcher. Either way the caller starts one actor per role.
 */
public final class ModalityWorkers {

    private ModalityWorkers() {
    }

    /** Modality {@code j}'s encoder, which takes {@code model}'s encoder network (and copies it for further replicas). */
    public static Behavior<EncoderWorker.Command> encoder(MultimodalVae model, int j, String name, Placement placement,
                                                          WorkerHooks hooks) {
        List<Placement.Device> devices = placement.replicas(j);
        if (devices.size() == 1) {
            return EncoderWorker.create(j, name, model.encoders().get(j), devices.get(0), hooks);
        }
        return EncoderReplicas.create(j, name, copies(model.encoders().get(j), devices.size()), devices, hooks);
    }

    /** Modality {@code j}'s decoder, which takes {@code model}'s decoder network (and copies it for further replicas). */
    public static Behavior<DecoderWorker.Command> decoder(MultimodalVae model, int j, String name, Placement placement,
                                                          WorkerHooks hooks) {
        List<Placement.Device> devices = placement.replicas(j);
        if (devices.size() == 1) {
            return DecoderWorker.create(j, name, model.decoders().get(j), model.likelihoods().get(j), devices.get(0), hooks);
        }
        return DecoderReplicas.create(j, name, copies(model.decoders().get(j), devices.size()), model.likelihoods().get(j),
                devices, hooks);
    }

    /**
     * Where modality {@code j}'s encoder or decoder runs: its device's dispatcher, or, for a router over replicas
     * (which only cuts and joins rows; each replica has its own device's), Akka's default one.
     */
    public static Props props(Placement placement, int j) {
        List<Placement.Device> devices = placement.replicas(j);
        return devices.size() == 1 ? DispatcherSelector.fromConfig(devices.get(0).dispatcher()) : Props.empty();
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
