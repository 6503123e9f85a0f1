package chorus.actors.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A worker node's check of the coordinator's config: before loading the node's workers, the coordinator sends
 * its {@link SharedConfig}; the gate compares it with the node's own and answers whether the node serves it.
 * On a difference the node refuses, in one line naming the node (role and modalities), both digests and every
 * differing key with both values, completes {@code refused} with it and logs it; the coordinator stops with the
 * same line (so nothing is loaded and no step runs on another model, objective or optimiser).
 */
public final class ConfigGate extends AbstractBehavior<ConfigGate.Command> {

    /** What the gate accepts. */
    public sealed interface Command {
    }

    /** The coordinator's shared config; answered with {@link Checked}. */
    public record Check(SharedConfig coordinator, ActorRef<Checked> replyTo) implements Command {
    }

    /** The answer: {@code refusal} is null when the node serves the coordinator's config, else the one-line reason. */
    public record Checked(String refusal) {
    }

    private final String node;
    private final SharedConfig own;
    private final CompletableFuture<String> refused;

    /**
     * @param node    the node by role and modalities, e.g. {@code worker node 'gpu' (hosting [image])}
     * @param own     this node's shared config
     * @param refused completed with the refusal when the node refuses a coordinator's config
     */
    public static Behavior<Command> create(String node, SharedConfig own, CompletableFuture<String> refused) {
        return Behaviors.setup(ctx -> new ConfigGate(ctx, node, own, refused));
    }

    private ConfigGate(ActorContext<Command> ctx, String node, SharedConfig own, CompletableFuture<String> refused) {
        super(ctx);
        this.node = node;
        this.own = own;
        this.refused = refused;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder().onMessage(Check.class, this::onCheck).build();
    }

    private Behavior<Command> onCheck(Check msg) {
        List<String> differences = own.differences(msg.coordinator(), "the coordinator");
        if (differences.isEmpty()) {
            msg.replyTo().tell(new Checked(null));
            return this;
        }
        String refusal = node + " refuses the coordinator's config (digest " + own.digest() + " here, "
                + msg.coordinator().digest() + " on the coordinator): " + String.join("; ", differences)
                + "; start every node with the same experiment file and -D overrides";
        getContext().getLog().error(refusal);
        refused.complete(refusal);
        msg.replyTo().tell(new Checked(refusal));
        return this;
    }
}
