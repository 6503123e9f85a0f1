package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's short-lived child while it is paused after losing worker nodes: it logs the loss in one line, sends
 * the loader back to the restore point, searches ({@link Rejoin}) for a node of every lost role, and once all are
 * found, the loader is back and the trainer has no step in flight ({@link Idle}), loads every worker with the
 * restore point ({@link LoadGather}); then it replies {@link Rejoined} with the new crew, or {@link Failed} with the
 * first problem in one line, and stops.
 */
final class Rejoining extends AbstractBehavior<Rejoining.Command> {

    sealed interface Command extends CoordinatorLocal {
    }

    /** Another worker node is lost during the pause. */
    record Lost(Combiner.NodeLost lost) implements Command {
    }

    /** The trainer has no step in flight: the workers may be loaded. */
    enum Idle implements Command { INSTANCE }

    /** The pause ends otherwise (the run stops): stop searching. */
    enum Cancel implements Command { INSTANCE }

    private record GotFound(Rejoin.Found found) implements Command {
    }

    private enum LoaderRewound implements Command { INSTANCE }

    private record GotLoaded(LoadGather.Loaded loaded) implements Command {
    }

    /** What the pause ended with. */
    sealed interface Outcome {
    }

    /** Every worker holds the restore point: {@code crew} with the new nodes' workers, {@code replace} for the combiner. */
    record Rejoined(Crew crew, Combiner.Replace replace) implements Outcome {
    }

    /** No replacement in time, a refused config or a failed load, in one line: the run stops. */
    record Failed(String message) implements Outcome {
    }

    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final Crew crew;
    private final RestorePoint restore;
    private final ActorRef<Outcome> replyTo;
    private final Map<String, Combiner.NodeLost> lost = new LinkedHashMap<>();
    private final Map<String, Rejoin.Found> found = new LinkedHashMap<>();
    private boolean rewound;
    private boolean idle;
    private boolean loading;

    /** Pauses the run of {@code crew} (its {@code rejoin} set) at step {@code at} after {@code first} was lost. */
    static Behavior<Command> create(Crew crew, RestorePoint restore, Combiner.NodeLost first, long at,
                                    ActorRef<Outcome> replyTo) {
        return Behaviors.setup(ctx -> {
            ctx.getLog().warn("{}: training pauses at step {}, lacking the encoder and decoder of {}; waiting up to {} s"
                            + " (chorus.cluster.rejoin-timeout) for a worker node with role '{}' to join, then the steps"
                            + " from {} (the last snapshot) are redone", first.message(), at, first.names(),
                    crew.rejoin().timeout().toSeconds(), first.role(), restore.step());
            crew.loader().tell(new DataLoader.Rewind(restore.cursor(), ctx.messageAdapter(DataLoader.Rewound.class,
                    r -> LoaderRewound.INSTANCE)));
            Rejoining r = new Rejoining(ctx, crew, restore, replyTo);
            r.search(first);
            return r;
        });
    }

    private Rejoining(ActorContext<Command> ctx, Crew crew, RestorePoint restore, ActorRef<Outcome> replyTo) {
        super(ctx);
        this.crew = crew;
        this.restore = restore;
        this.replyTo = replyTo;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Lost.class, msg -> search(msg.lost()))
                .onMessageEquals(Idle.INSTANCE, () -> {
                    idle = true;
                    return loadWhenReady();
                })
                .onMessageEquals(Cancel.INSTANCE, Behaviors::stopped)
                .onMessage(GotFound.class, this::onFound)
                .onMessageEquals(LoaderRewound.INSTANCE, () -> {
                    rewound = true;
                    return loadWhenReady();
                })
                .onMessage(GotLoaded.class, this::onLoaded)
                .build();
    }

    private Behavior<Command> search(Combiner.NodeLost l) {
        if (lost.putIfAbsent(l.role(), l) == null) {
            getContext().spawnAnonymous(crew.rejoin().find(l, getContext().messageAdapter(Rejoin.Found.class,
                    GotFound::new)));
        }
        return this;
    }

    private Behavior<Command> onFound(GotFound msg) {
        if (msg.found().problem() != null) {
            return fail(msg.found().problem());
        }
        found.put(msg.found().role(), msg.found());
        return loadWhenReady();
    }

    private Behavior<Command> loadWhenReady() {
        if (!loading && idle && rewound && found.keySet().equals(lost.keySet())) {
            loading = true;
            Crew replaced = crew.replacing(found.values());
            getContext().spawnAnonymous(LoadGather.create(replaced.encoders(), replaced.decoders(), restore.states(),
                    LOAD_TIMEOUT, getContext().messageAdapter(LoadGather.Loaded.class, GotLoaded::new)));
        }
        return this;
    }

    private Behavior<Command> onLoaded(GotLoaded msg) {
        if (msg.loaded().error() != null) {
            return fail("reloading the workers with the snapshot after step " + restore.step() + ": " + msg.loaded().error());
        }
        Map<Integer, ActorRef<EncoderWorker.Command>> enc = new HashMap<>();
        Map<Integer, ActorRef<DecoderWorker.Command>> dec = new HashMap<>();
        found.values().forEach(f -> {
            enc.putAll(f.encoders());
            dec.putAll(f.decoders());
        });
        getContext().getLog().info("worker nodes {} rejoined ({}): every worker holds the parameters and Adam state after"
                        + " step {}; redoing the steps from there", found.keySet(),
                found.values().stream().map(Rejoin.Found::address).toList(), restore.step());
        replyTo.tell(new Rejoined(crew.replacing(found.values()), new Combiner.Replace(enc, dec)));
        return Behaviors.stopped();
    }

    private Behavior<Command> fail(String message) {
        replyTo.tell(new Failed(message));
        return Behaviors.stopped();
    }
}
