package chorus.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A short-lived actor on the coordinator that watches the Receptionist until every remote modality has
 * its encoder and decoder worker and every worker node its {@link ConfigGate}, replies once with them and stops; at the timeout it replies with what
 * is missing instead. A modality registered by two nodes is an error (whose update would count?).
 */
public final class WorkerDiscovery extends AbstractBehavior<WorkerDiscovery.Command> {

    public sealed interface Command extends CoordinatorLocal {
    }

    private record Listed(Receptionist.Listing listing) implements Command {
    }

    private enum Timeout implements Command { INSTANCE }

    /**
     * The workers by modality name and each worker node's config gate by role, or (all maps empty) {@code problem}
     * saying what is missing.
     */
    public record Found(Map<String, ActorRef<EncoderWorker.Command>> encoders, Map<String, ActorRef<DecoderWorker.Command>> decoders,
                 Map<String, ActorRef<ConfigGate.Command>> gates, String problem) {
    }

    private final List<String> modalities;
    private final List<String> roles;
    private final Set<ActorRef<?>> gone;
    private final Map<String, Set<ActorRef<ConfigGate.Command>>> gates = new LinkedHashMap<>();
    private final ActorRef<Found> replyTo;
    private final Map<String, Set<ActorRef<EncoderWorker.Command>>> encoders = new LinkedHashMap<>();
    private final Map<String, Set<ActorRef<DecoderWorker.Command>>> decoders = new LinkedHashMap<>();

    /** Waits for the workers of {@code modalities} and the config gates of the worker nodes {@code roles}. */
    public static Behavior<Command> create(List<String> modalities, List<String> roles, Duration timeout,
                                           ActorRef<Found> replyTo) {
        return create(modalities, roles, timeout, Set.of(), replyTo);
    }

    /**
     * The same, ignoring the workers {@code gone} (a lost node's, which the Receptionist may list a while longer), and
     * taking the config gate on the found workers' node.
     */
    public static Behavior<Command> create(List<String> modalities, List<String> roles, Duration timeout,
                                           Set<ActorRef<?>> gone, ActorRef<Found> replyTo) {
        return Behaviors.setup(ctx -> {
            ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class, Listed::new);
            for (String m : modalities) {
                ctx.getSystem().receptionist().tell(Receptionist.subscribe(ClusterNode.encoderKey(m), adapter));
                ctx.getSystem().receptionist().tell(Receptionist.subscribe(ClusterNode.decoderKey(m), adapter));
            }
            for (String r : roles) {
                ctx.getSystem().receptionist().tell(Receptionist.subscribe(ClusterNode.gateKey(r), adapter));
            }
            ctx.setReceiveTimeout(timeout, Timeout.INSTANCE);
            return new WorkerDiscovery(ctx, modalities, roles, gone, replyTo);
        });
    }

    private WorkerDiscovery(ActorContext<Command> ctx, List<String> modalities, List<String> roles,
                            Set<ActorRef<?>> gone, ActorRef<Found> replyTo) {
        super(ctx);
        this.gone = Set.copyOf(gone);
        this.modalities = List.copyOf(modalities);
        this.roles = List.copyOf(roles);
        this.replyTo = replyTo;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Listed.class, this::onListed)
                .onMessageEquals(Timeout.INSTANCE, this::onTimeout)
                .build();
    }

    private Behavior<Command> onListed(Listed msg) {
        for (String m : modalities) {
            record(msg.listing(), ClusterNode.encoderKey(m), m, encoders);
            record(msg.listing(), ClusterNode.decoderKey(m), m, decoders);
        }
        roles.forEach(r -> record(msg.listing(), ClusterNode.gateKey(r), r, gates));
        if (!gone.isEmpty() && !modalities.isEmpty() && !encoders.getOrDefault(modalities.get(0), Set.of()).isEmpty()) {
            akka.actor.Address at = encoders.get(modalities.get(0)).iterator().next().path().address();
            roles.forEach(r -> gates.computeIfPresent(r, (k, v) -> Set.copyOf(v.stream()
                    .filter(g -> g.path().address().equals(at)).toList()))); // the new node's gate, not the lost one's
        }
        if (modalities.stream().anyMatch(m -> encoders.getOrDefault(m, Set.of()).isEmpty()
                || decoders.getOrDefault(m, Set.of()).isEmpty())
                || roles.stream().anyMatch(r -> gates.getOrDefault(r, Set.of()).isEmpty())) {
            return this;
        }
        List<String> twice = modalities.stream()
                .filter(m -> encoders.get(m).size() > 1 || decoders.get(m).size() > 1).toList();
        if (!twice.isEmpty()) {
            return reply(new Found(Map.of(), Map.of(), Map.of(), "modalities " + twice + " are hosted by more than one node ("
                    + encoders.get(twice.get(0)) + "): run one worker node per entry of chorus.cluster.nodes"));
        }
        Map<String, ActorRef<EncoderWorker.Command>> enc = new LinkedHashMap<>();
        Map<String, ActorRef<DecoderWorker.Command>> dec = new LinkedHashMap<>();
        modalities.forEach(m -> enc.put(m, encoders.get(m).iterator().next()));
        modalities.forEach(m -> dec.put(m, decoders.get(m).iterator().next()));
        Map<String, ActorRef<ConfigGate.Command>> gate = new LinkedHashMap<>();
        roles.forEach(r -> gate.put(r, gates.get(r).iterator().next()));
        return reply(new Found(enc, dec, gate, null));
    }

    private <T> void record(Receptionist.Listing listing, ServiceKey<T> key, String modality,
                            Map<String, Set<ActorRef<T>>> into) {
        if (listing.isForKey(key)) {
            into.put(modality, Set.copyOf(listing.getServiceInstances(key).stream().filter(r -> !gone.contains(r)).toList()));
        }
    }

    private Behavior<Command> onTimeout() {
        List<String> missing = new ArrayList<>();
        for (String m : modalities) {
            List<String> kinds = new ArrayList<>();
            if (encoders.getOrDefault(m, Set.of()).isEmpty()) {
                kinds.add("encoder");
            }
            if (decoders.getOrDefault(m, Set.of()).isEmpty()) {
                kinds.add("decoder");
            }
            if (!kinds.isEmpty()) {
                missing.add(m + " (" + String.join(", ", kinds) + ")");
            }
        }
        List<String> noGate = roles.stream().filter(r -> gates.getOrDefault(r, Set.of()).isEmpty()).toList();
        return reply(new Found(Map.of(), Map.of(), Map.of(), !missing.isEmpty()
                ? "no worker node registered the workers of modalities " + missing
                : "worker nodes " + noGate + " registered their workers but not their config gate"));
    }

    private Behavior<Command> reply(Found found) {
        replyTo.tell(found);
        return Behaviors.stopped();
    }
}
