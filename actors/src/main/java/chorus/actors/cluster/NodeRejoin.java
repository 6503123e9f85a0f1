package chorus.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.Combiner;
import chorus.actors.coordinator.Rejoin;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's {@link Rejoin}: a short-lived actor per lost worker node that waits (a {@link WorkerDiscovery} of
 * the role's modalities, ignoring the lost node's dead workers) up to {@code chorus.cluster.rejoin-timeout} for a
 * node of the same role, has its {@link ConfigGate} check the coordinator's config, and replies once: the new
 * workers, or one line saying why there are none. Loading them is the trainer's (with its restore point).
 */
public final class NodeRejoin extends AbstractBehavior<NodeRejoin.Command> {

    /** The rejoin of a coordinator with settings {@code s} over the model's modalities {@code names}. */
    public static Rejoin of(ClusterSettings s, List<String> names) {
        return new Rejoin() {
            @Override
            public Duration timeout() {
                return s.rejoinTimeout();
            }

            @Override
            public Behavior<?> find(Combiner.NodeLost lost, ActorRef<Found> replyTo) {
                return Behaviors.<Command>setup(ctx -> new NodeRejoin(ctx, s, names, lost, replyTo));
            }
        };
    }

    sealed interface Command extends CoordinatorLocal {
    }

    private record Discovered(WorkerDiscovery.Found found) implements Command {
    }

    private record Checked(ConfigGate.Checked checked, Throwable failure) implements Command {
    }

    private final ClusterSettings s;
    private final List<String> names;
    private final Combiner.NodeLost lost;
    private final ActorRef<Rejoin.Found> replyTo;
    private WorkerDiscovery.Found discovered;

    private NodeRejoin(ActorContext<Command> ctx, ClusterSettings s, List<String> names, Combiner.NodeLost lost,
                       ActorRef<Rejoin.Found> replyTo) {
        super(ctx);
        this.s = s;
        this.names = names;
        this.lost = lost;
        this.replyTo = replyTo;
        ctx.spawn(WorkerDiscovery.create(lost.names(), List.of(lost.role()), s.rejoinTimeout(), lost.workers(),
                ctx.messageAdapter(WorkerDiscovery.Found.class, Discovered::new)), "discovery");
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Discovered.class, this::onDiscovered)
                .onMessage(Checked.class, this::onChecked)
                .build();
    }

    private Behavior<Command> onDiscovered(Discovered msg) {
        if (msg.found().problem() != null) {
            return fail("no worker node with role '" + lost.role() + "' joined within " + s.rejoinTimeout().toSeconds()
                    + " s (chorus.cluster.rejoin-timeout; " + msg.found().problem() + ")");
        }
        discovered = msg.found();
        getContext().ask(ConfigGate.Checked.class, discovered.gates().get(lost.role()), s.joinTimeout(),
                r -> new ConfigGate.Check(s.shared(), r), Checked::new);
        return this;
    }

    private Behavior<Command> onChecked(Checked msg) {
        if (msg.failure() != null) {
            return fail("the worker node with role '" + lost.role() + "' that joined did not answer the config check: "
                    + msg.failure().getMessage());
        }
        if (msg.checked().refusal() != null) {
            return fail(msg.checked().refusal());
        }
        Map<Integer, ActorRef<EncoderWorker.Command>> enc = new LinkedHashMap<>();
        Map<Integer, ActorRef<DecoderWorker.Command>> dec = new LinkedHashMap<>();
        discovered.encoders().forEach((m, ref) -> enc.put(names.indexOf(m), ref));
        discovered.decoders().forEach((m, ref) -> dec.put(names.indexOf(m), ref));
        String at = discovered.gates().get(lost.role()).path().address().toString();
        replyTo.tell(new Rejoin.Found(lost.role(), enc, dec, at, null));
        return Behaviors.stopped();
    }

    private Behavior<Command> fail(String problem) {
        replyTo.tell(new Rejoin.Found(lost.role(), Map.of(), Map.of(), null, lost.message() + " and " + problem
                + "; the run stops with its last checkpoint: start `chorus worker` with -Dchorus.cluster.role="
                + lost.role() + " and continue with `chorus train --resume`"));
        return Behaviors.stopped();
    }
}
