package chorus.actors.coordinator;

import static chorus.actors.ActorFixtures.BETA;
import static chorus.actors.ActorFixtures.DTYPE;
import static chorus.actors.ActorFixtures.QUIET;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.actors.ActorFixtures;
import chorus.actors.coordinator.step.StepOutcome;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.objective.Objective;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A combiner whose encoders and decoders are probes, with helpers that expect its requests and answer
 * them as workers would (replies of the right shapes, to the {@code replyTo} each request names).
 */
final class CombinerRig {

    final List<TestProbe<EncoderWorker.Command>> enc = new ArrayList<>();
    final List<TestProbe<DecoderWorker.Command>> dec = new ArrayList<>();
    final TestProbe<StepOutcome> outcome;
    final ActorRef<Combiner.Command> combiner;

    CombinerRig(ActorTestKit kit, Objective objective, int maxRetries) {
        outcome = kit.createTestProbe();
        for (int j = 0; j < 3; j++) {
            enc.add(kit.createTestProbe());
            dec.add(kit.createTestProbe());
        }
        combiner = kit.spawn(Combiner.create(new Combiner.Setup(enc.stream().map(TestProbe::ref).toList(),
                dec.stream().map(TestProbe::ref).toList(), objective, ModelFixtures.LATENT,
                DTYPE, maxRetries)));
    }

    void step(Batch b) {
        combiner.tell(new Combiner.Step(b, BETA, (int) b.step(), outcome.ref()));
    }

    Map<Integer, EncoderWorker.Encode> encodes(int... modalities) {
        Map<Integer, EncoderWorker.Encode> out = new LinkedHashMap<>();
        for (int j : modalities) {
            out.put(j, enc.get(j).expectMessageClass(EncoderWorker.Encode.class));
        }
        return out;
    }

    void experts(Map<Integer, EncoderWorker.Encode> encodes) {
        encodes.forEach((j, e) -> e.replyTo().tell(new WorkerProtocol.Expert(e.step(), e.attempt(), j,
                ActorFixtures.expert((int) e.x().size(0)))));
    }

    Map<Integer, DecoderWorker.Decode> decodes(int... modalities) {
        Map<Integer, DecoderWorker.Decode> out = new LinkedHashMap<>();
        for (int j : modalities) {
            out.put(j, dec.get(j).expectMessageClass(DecoderWorker.Decode.class));
        }
        return out;
    }

    void decoded(Map<Integer, DecoderWorker.Decode> decodes) {
        decodes.values().forEach(d -> d.replyTo().tell(ActorFixtures.decoded(d)));
    }

    /** Answers two-phase Decodes (no coefficients yet) with their log-likelihoods only. */
    void scored(Map<Integer, DecoderWorker.Decode> decodes) {
        decodes.values().forEach(d -> {
            WorkerProtocol.Decoded full = ActorFixtures.decoded(d);
            d.replyTo().tell(new WorkerProtocol.LogLikelihoods(d.step(), d.attempt(), full.modality(), full.logProb()));
        });
    }

    Map<Integer, EncoderWorker.Backprop> backprops(int... modalities) {
        Map<Integer, EncoderWorker.Backprop> out = new LinkedHashMap<>();
        for (int j : modalities) {
            out.put(j, enc.get(j).expectMessageClass(EncoderWorker.Backprop.class));
        }
        return out;
    }

    /** Encodes and decodes {@code modalities}, returning the encoders' Backprop requests. */
    Map<Integer, EncoderWorker.Backprop> throughDecode(int... modalities) {
        experts(encodes(modalities));
        decoded(decodes(modalities));
        return backprops(modalities);
    }

    void computed(Map<Integer, EncoderWorker.Backprop> backprops) {
        backprops.forEach((j, b) -> b.replyTo().tell(new WorkerProtocol.Computed(b.step(), b.attempt(),
                WorkerId.encoder(j), ActorFixtures.grad())));
    }

    /** The Commit each encoder and decoder of {@code modalities} receives. */
    Map<WorkerId, WorkerProtocol.Commit> commits(int... modalities) {
        Map<WorkerId, WorkerProtocol.Commit> out = new LinkedHashMap<>();
        for (int j : modalities) {
            out.put(WorkerId.encoder(j), enc.get(j).expectMessageClass(WorkerProtocol.Commit.class));
            out.put(WorkerId.decoder(j), dec.get(j).expectMessageClass(WorkerProtocol.Commit.class));
        }
        return out;
    }

    void applied(Map<WorkerId, WorkerProtocol.Commit> commits) {
        commits.forEach((w, c) -> c.replyTo().tell(new WorkerProtocol.Applied(c.step(), w, 0, 1_000)));
    }

    void fail(ActorRef<WorkerProtocol.Reply> replyTo, WorkerId w, long step, int attempt, boolean retryable) {
        String who = w.role().name().toLowerCase() + " of modality '" + ActorFixtures.NAMES.get(w.modality()) + "'";
        replyTo.tell(new WorkerProtocol.Failed(step, attempt, w, who + ": injected", retryable));
    }

    /** Every worker gets Abort(step); the encoders then get the retry's Encode. */
    Map<Integer, EncoderWorker.Encode> abortedThenEncoded(long step) {
        for (int j = 0; j < 3; j++) {
            enc.get(j).expectMessage(new WorkerProtocol.Abort(step));
            dec.get(j).expectMessage(new WorkerProtocol.Abort(step));
        }
        return encodes(0, 1, 2);
    }

    void quietEverywhere() {
        List<TestProbe<?>> all = new ArrayList<>(enc);
        all.addAll(dec);
        all.add(outcome);
        quiet(all);
    }

    /** None of {@code probes} receives anything: waits {@link ActorFixtures#QUIET} once, then checks the rest. */
    static void quiet(List<? extends TestProbe<?>> probes) {
        probes.get(0).expectNoMessage(QUIET);
        probes.subList(1, probes.size()).forEach(p -> p.expectNoMessage(Duration.ofMillis(5)));
    }
}
