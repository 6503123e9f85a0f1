package chorus.actors;

import static chorus.actors.ActorFixtures.B;
import static chorus.actors.ActorFixtures.BETA;
import static chorus.actors.ActorFixtures.DTYPE;
import static chorus.actors.ActorFixtures.QUIET;
import static chorus.actors.ActorFixtures.batch;
import static chorus.actors.ActorFixtures.mvae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Objective;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The combiner's side of a step, driven by hand with probes standing in for the workers. */
class CombinerProtocolTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void workersOfAModalityNoRowObservesGetNoMessage() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(0, ActorFixtures.noLabel()));
        rig.experts(rig.encodes(0, 2));
        rig.decoded(rig.decodes(0, 2));
        rig.computed(rig.backprops(0, 2));
        rig.applied(rig.commits(0, 2));
        rig.outcome.expectMessageClass(StepReport.class);
        Rig.quiet(List.of(rig.enc.get(1), rig.dec.get(1)));
    }

    @Test
    void eachDecoderGetsOneDecodeFusingEveryTermThatTargetsIt() {
        Map<Integer, DecoderWorker.Decode> got = assertDecodesAsPlanned(batch(6, ModelFixtures.allObserved()));
        for (DecoderWorker.Decode d : got.values()) {
            assertTrue(d.request().rows() >= 2 * B, "at least the joint and the single term: " + d.request().rows());
        }
    }

    @Test
    void decodeRequestsHoldTheRowsTheObjectivePlansWhenModalitiesAreMissing() {
        assertDecodesAsPlanned(ActorFixtures.batch(7, ModelFixtures.someMissing()));
    }

    @Test
    void noCommitIsSentBeforeEveryEncoderHasComputed() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(0, ModelFixtures.allObserved()));
        Map<Integer, EncoderWorker.Backprop> backprops = rig.throughDecode(0, 1, 2);
        rig.computed(Map.of(0, backprops.get(0), 1, backprops.get(1)));
        rig.quietEverywhere();
        rig.computed(Map.of(2, backprops.get(2)));
        assertEquals(6, rig.commits(0, 1, 2).size());
        rig.quietEverywhere(); // one Commit each
    }

    @Test
    void outcomeArrivesOnlyAfterEveryWorkerHasApplied() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(0, ModelFixtures.allObserved()));
        rig.computed(rig.throughDecode(0, 1, 2));
        Map<WorkerId, WorkerProtocol.Commit> commits = rig.commits(0, 1, 2);
        WorkerProtocol.Commit last = commits.remove(WorkerId.decoder(2));
        rig.applied(commits);
        rig.outcome.expectNoMessage(QUIET);
        rig.applied(Map.of(WorkerId.decoder(2), last));
        assertEquals(6, rig.outcome.expectMessageClass(StepReport.class).staleness().size());
    }

    @Test
    void failedReplyAbortsEveryWorkerAndEncodesAgainWithTheNextAttempt() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(3, ModelFixtures.allObserved()));
        Map<Integer, EncoderWorker.Encode> first = rig.encodes(0, 1, 2);
        rig.fail(first.get(1).replyTo(), WorkerId.encoder(1), 3, 0, true);
        Map<Integer, EncoderWorker.Encode> retry = rig.abortedThenEncoded(3);
        for (EncoderWorker.Encode e : retry.values()) {
            assertEquals(1, e.attempt());
        }
    }

    @Test
    void lateReplyOfTheAbortedAttemptDoesNotAdvanceTheStep() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(3, ModelFixtures.allObserved()));
        Map<Integer, EncoderWorker.Encode> first = rig.encodes(0, 1, 2);
        rig.fail(first.get(1).replyTo(), WorkerId.encoder(1), 3, 0, true);
        Map<Integer, EncoderWorker.Encode> retry = rig.abortedThenEncoded(3);
        rig.experts(first);
        Rig.quiet(rig.dec);
        rig.experts(retry);
        assertEquals(1, rig.decodes(0, 1, 2).get(0).attempt());
    }

    @Test
    void retriedStepReportsTwoAttempts() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(3, ModelFixtures.allObserved()));
        rig.fail(rig.encodes(0, 1, 2).get(2).replyTo(), WorkerId.encoder(2), 3, 0, true);
        rig.experts(rig.abortedThenEncoded(3));
        rig.decoded(rig.decodes(0, 1, 2));
        rig.computed(rig.backprops(0, 1, 2));
        rig.applied(rig.commits(0, 1, 2));
        assertEquals(2, rig.outcome.expectMessageClass(StepReport.class).attempts());
    }

    @Test
    void nonRetryableFailureEndsTheStepNamingTheWorkerAndStep() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(4, ModelFixtures.allObserved()));
        rig.experts(rig.encodes(0, 1, 2));
        rig.fail(rig.decodes(0, 1, 2).get(2).replyTo(), WorkerId.decoder(2), 4, 0, false);
        StepFailure f = rig.outcome.expectMessageClass(StepFailure.class);
        assertEquals(4, f.step());
        assertTrue(f.message().contains("step 4") && f.message().contains("decoder of modality 'features'"), f.message());
        rig.enc.get(0).expectMessage(new WorkerProtocol.Abort(4));
        rig.enc.get(0).expectNoMessage(QUIET); // no retry
    }

    @Test
    void exhaustingTheRetriesEndsTheStepWithAFailure() {
        Rig rig = new Rig(mvae(1), 1);
        rig.step(batch(2, ModelFixtures.allObserved()));
        rig.fail(rig.encodes(0, 1, 2).get(0).replyTo(), WorkerId.encoder(0), 2, 0, true);
        rig.fail(rig.abortedThenEncoded(2).get(0).replyTo(), WorkerId.encoder(0), 2, 1, true);
        StepFailure f = rig.outcome.expectMessageClass(StepFailure.class);
        assertTrue(f.message().contains("step 2") && f.message().contains("encoder of modality 'image'")
                && f.message().contains("gave up after 2 attempts"), f.message());
    }

    @Test
    void stepThatFailsForGoodEndsTheLaterStepsQueuedBehindIt() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(1, ModelFixtures.allObserved()));
        rig.step(batch(2, ModelFixtures.allObserved()));
        Map<Integer, EncoderWorker.Encode> first = rig.encodes(0, 1, 2);
        rig.experts(rig.encodes(0, 1, 2));         // step 2 overtakes step 1 ...
        rig.decoded(rig.decodes(0, 1, 2));
        rig.computed(rig.backprops(0, 1, 2));
        rig.commits(0, 1, 2);                       // ... and waits in the workers behind step 1
        rig.fail(first.get(0).replyTo(), WorkerId.encoder(0), 1, 0, false);
        assertEquals(1, rig.outcome.expectMessageClass(StepFailure.class).step());
        StepFailure later = rig.outcome.expectMessageClass(StepFailure.class);
        assertEquals(2, later.step());
        assertTrue(later.message().contains("step 1"), later.message());
    }

    @Test
    void failureOfTheStepsOwnMathEndsThatStepAndTheCombinerCarriesOn() {
        Rig rig = new Rig(mvae(1), 3);
        rig.step(batch(5, ModelFixtures.allObserved()));
        Gaussian overflowing = new Gaussian(Nd4j.zeros(DTYPE, B, ModelFixtures.LATENT),
                Nd4j.valueArrayOf(new long[] {B, ModelFixtures.LATENT}, -800.0, DTYPE)); // precision e^800 = Inf
        rig.encodes(0, 1, 2).forEach((j, e) -> e.replyTo().tell(new WorkerProtocol.Expert(5, 0, j, overflowing)));
        StepFailure f = rig.outcome.expectMessageClass(StepFailure.class);
        assertTrue(f.message().contains("step 5"), f.message());
        rig.enc.get(0).expectMessage(new WorkerProtocol.Abort(5));
        rig.step(batch(6, ModelFixtures.allObserved()));
        assertEquals(6, rig.encodes(0).get(0).step());
    }

    /** Runs one step up to its Decode messages and checks them against the objective's own plan. */
    private static Map<Integer, DecoderWorker.Decode> assertDecodesAsPlanned(Batch b) {
        Objective objective = mvae(2);
        Rig rig = new Rig(objective, 3);
        rig.step(b);
        rig.experts(rig.encodes(0, 1, 2));
        Map<Integer, DecoderWorker.Decode> got = rig.decodes(0, 1, 2);
        Rig.quiet(rig.dec); // exactly one Decode each
        List<Gaussian> experts = Collections.nCopies(3, ActorFixtures.expert(b.size()));
        TermStage plan = objective.forward(experts, b.presence(), b.step(), BETA);
        assertEquals(3, plan.requests().size());
        for (DecodeRequest want : plan.requests()) {
            DecodeRequest req = got.get(want.modality()).request();
            assertArrayEquals(want.dataRows(), req.dataRows(), "rows of decoder " + want.modality());
            assertEquals(want.z(), req.z(), "z of decoder " + want.modality());
        }
        return got;
    }

    /** A combiner whose encoders and decoders are probes, and helpers that answer like workers. */
    private static final class Rig {
        final List<TestProbe<EncoderWorker.Command>> enc = new ArrayList<>();
        final List<TestProbe<DecoderWorker.Command>> dec = new ArrayList<>();
        final TestProbe<StepOutcome> outcome = testKit.createTestProbe();
        final ActorRef<Combiner.Command> combiner;

        Rig(Objective objective, int maxRetries) {
            for (int j = 0; j < 3; j++) {
                enc.add(testKit.createTestProbe());
                dec.add(testKit.createTestProbe());
            }
            combiner = testKit.spawn(Combiner.create(new Combiner.Setup(enc.stream().map(TestProbe::ref).toList(),
                    dec.stream().map(TestProbe::ref).toList(), ActorFixtures.NAMES, objective, ModelFixtures.LATENT,
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
}
