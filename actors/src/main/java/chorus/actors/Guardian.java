package chorus.actors;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import chorus.actors.coordinator.step.CoordinatorLocal;
import java.time.Duration;

/**
 * The guardian of the coordinator's actor system: the parent of every actor a {@link TrainingSystem} starts
 * (workers, combiner, loader, reporter, evaluator, trainer, the cluster's worker discovery), so none is a
 * system actor started from outside, and stopping the system stops them all through it.
 */
final class Guardian {

    /** What the guardian accepts. */
    sealed interface Command extends CoordinatorLocal {
    }

    /** Start {@code behavior} as a child named {@code name} with {@code props}; reply with its reference. */
    record Start<T>(Behavior<T> behavior, String name, Props props, ActorRef<ActorRef<T>> replyTo) implements Command {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Guardian() {
    }

    static Behavior<Command> create() {
        return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
                .onMessage(Start.class, msg -> onStart(ctx, msg))
                .build());
    }

    private static <T> Behavior<Command> onStart(ActorContext<Command> ctx, Start<T> msg) {
        msg.replyTo().tell(ctx.spawn(msg.behavior(), msg.name(), msg.props()));
        return Behaviors.same();
    }

    /** Has {@code system}'s guardian start {@code behavior} and returns the child's reference. */
    static <T> ActorRef<T> start(ActorSystem<Command> system, Behavior<T> behavior, String name, Props props) {
        return AskPattern.<Command, ActorRef<T>>ask(system, r -> new Start<>(behavior, name, props, r), TIMEOUT,
                system.scheduler()).toCompletableFuture().join();
    }
}
