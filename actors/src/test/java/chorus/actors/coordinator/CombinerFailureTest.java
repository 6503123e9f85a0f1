package chorus.actors.coordinator;

import static chorus.actors.ActorFixtures.B;
import static chorus.actors.ActorFixtures.DTYPE;
import static chorus.actors.ActorFixtures.QUIET;
import static chorus.actors.ActorFixtures.batch;
import static chorus.actors.ActorFixtures.mvae;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import chorus.actors.ActorFixtures;
import chorus.actors.coordinator.step.StepFailure;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.models.ModelFixtures;
import chorus.models.posterior.Gaussian;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** The combiner when a worker fails: abort and retry, stale replies, and how a step that cannot finish ends. */
class CombinerFailureTest {

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
    void failedReplyAbortsEveryWorkerAndEncodesAgainWithTheNextAttempt() {
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
        rig.step(batch(3, ModelFixtures.allObserved()));
        Map<Integer, EncoderWorker.Encode> first = rig.encodes(0, 1, 2);
        rig.fail(first.get(1).replyTo(), WorkerId.encoder(1), 3, 0, true);
        Map<Integer, EncoderWorker.Encode> retry = rig.abortedThenEncoded(3);
        rig.experts(first);
        CombinerRig.quiet(rig.dec);
        rig.experts(retry);
        assertEquals(1, rig.decodes(0, 1, 2).get(0).attempt());
    }

    @Test
    void retriedStepReportsTwoAttempts() {
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 1);
        rig.step(batch(2, ModelFixtures.allObserved()));
        rig.fail(rig.encodes(0, 1, 2).get(0).replyTo(), WorkerId.encoder(0), 2, 0, true);
        rig.fail(rig.abortedThenEncoded(2).get(0).replyTo(), WorkerId.encoder(0), 2, 1, true);
        StepFailure f = rig.outcome.expectMessageClass(StepFailure.class);
        assertTrue(f.message().contains("step 2") && f.message().contains("encoder of modality 'image'")
                && f.message().contains("gave up after 2 attempts"), f.message());
    }

    @Test
    void stepThatFailsForGoodEndsTheLaterStepsQueuedBehindIt() {
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
}
