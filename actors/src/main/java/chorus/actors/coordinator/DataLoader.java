package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import chorus.actors.coordinator.step.CoordinatorLocal;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Reads training batches (with their presence masks) ahead of demand: it keeps {@code prefetch} batches
 * ready, so the trainer's request is answered at once while the next batch is being gathered. Each
 * batch comes with the data cursor just after it, which a checkpoint taken after that step stores.
 */
public final class DataLoader extends AbstractBehavior<DataLoader.Command> {

    /** What the loader accepts. */
    public sealed interface Command extends CoordinatorLocal {
    }

    /** Send the next batch to {@code replyTo}. */
    public record Next(ActorRef<Loaded> replyTo) implements Command {
    }

    /**
     * Go back to {@code to} (a cursor this loader handed out): the batches read ahead and the requests not yet
     * answered are dropped, and {@link Rewound} is sent once the next batch handed out is the one at {@code to}.
     */
    public record Rewind(BatchIterator.Cursor to, ActorRef<Rewound> replyTo) implements Command {
    }

    /** The answer to {@link Rewind}: every batch sent before it belongs to the old position. */
    public enum Rewound { INSTANCE }

    private enum Fill implements Command { INSTANCE }

    /** A batch and the cursor at which the batch after it starts. */
    public record Loaded(Batch batch, BatchIterator.Cursor after) {
    }

    private final BatchIterator batches;
    private final int prefetch;
    private final Deque<Loaded> ready = new ArrayDeque<>();
    private final Deque<ActorRef<Loaded>> waiting = new ArrayDeque<>();
    private boolean filling;

    /** A loader over {@code batches} (which it now owns) keeping {@code prefetch} >= 1 batches ready. */
    public static Behavior<Command> create(BatchIterator batches, int prefetch) {
        if (prefetch < 1) {
            throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
        }
        return Behaviors.setup(ctx -> new DataLoader(ctx, batches, prefetch));
    }

    private DataLoader(ActorContext<Command> ctx, BatchIterator batches, int prefetch) {
        super(ctx);
        this.batches = batches;
        this.prefetch = prefetch;
        scheduleFill();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Next.class, this::onNext)
                .onMessageEquals(Fill.INSTANCE, this::onFill)
                .onMessage(Rewind.class, this::onRewind)
                .build();
    }

    private Behavior<Command> onNext(Next msg) {
        waiting.add(msg.replyTo());
        serve();
        return this;
    }

    private Behavior<Command> onRewind(Rewind msg) {
        ready.clear();
        waiting.clear();
        batches.seek(msg.to());
        msg.replyTo().tell(Rewound.INSTANCE);
        serve();
        return this;
    }

    /** Reads one batch per message, so requests are answered between reads. */
    private Behavior<Command> onFill() {
        filling = false;
        if (ready.size() < prefetch + waiting.size()) {
            Batch b = batches.next();
            ready.add(new Loaded(b, batches.cursor()));
            serve();
        }
        return this;
    }

    private void serve() {
        while (!waiting.isEmpty() && !ready.isEmpty()) {
            waiting.poll().tell(ready.poll());
        }
        if (ready.size() < prefetch + waiting.size()) {
            scheduleFill();
        }
    }

    private void scheduleFill() {
        if (!filling) {
            filling = true;
            getContext().getSelf().tell(Fill.INSTANCE);
        }
    }
}
