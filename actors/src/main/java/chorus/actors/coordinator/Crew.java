package chorus.actors.coordinator;

import akka.actor.typed.ActorRef;
import chorus.actors.coordinator.reporting.Evaluator;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import java.util.ArrayList;
import java.util.List;

/**
 * The actors the trainer drives; {@code evaluator} may be null (no evaluation), {@code rejoin} too (a lost worker
 * node stops the run).
 */
public record Crew(ActorRef<DataLoader.Command> loader, ActorRef<Combiner.Command> combiner,
                   List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                   ActorRef<Reporter.Command> reporter, ActorRef<Evaluator.Command> evaluator, Rejoin rejoin) {

    /** This crew with the new nodes' workers in the places of the lost ones. */
    Crew replacing(Iterable<Rejoin.Found> found) {
        List<ActorRef<EncoderWorker.Command>> enc = new ArrayList<>(encoders);
        List<ActorRef<DecoderWorker.Command>> dec = new ArrayList<>(decoders);
        found.forEach(f -> {
            f.encoders().forEach(enc::set);
            f.decoders().forEach(dec::set);
        });
        return new Crew(loader, combiner, List.copyOf(enc), List.copyOf(dec), reporter, evaluator, rejoin);
    }
}
