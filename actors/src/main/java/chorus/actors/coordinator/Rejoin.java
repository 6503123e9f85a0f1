package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import java.time.Duration;
import java.util.Map;

/**
 * How a paused coordinator finds a worker node to replace a lost one (the cluster's side implements it: the
 * coordinator's packages do not import the cluster's). The trainer starts one search per lost node.
 */
public interface Rejoin {

    /** How long a lost node is waited for ({@code chorus.cluster.rejoin-timeout}). */
    Duration timeout();

    /**
     * A short-lived actor that waits up to {@link #timeout} for a node of {@code lost}'s role to register its
     * workers (not {@code lost}'s dead ones), has it check the coordinator's config, replies once and stops.
     */
    Behavior<?> find(Combiner.NodeLost lost, ActorRef<Found> replyTo);

    /**
     * The new node's workers by modality index and its address; or, all maps empty, the one-line {@code problem}
     * (none joined in time, or it refused the config).
     */
    record Found(String role, Map<Integer, ActorRef<EncoderWorker.Command>> encoders,
                 Map<Integer, ActorRef<DecoderWorker.Command>> decoders, String address, String problem) {
    }
}
