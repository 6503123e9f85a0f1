package chorus.actors.coordinator;

import static chorus.actors.ActorFixtures.B;
import static chorus.actors.ActorFixtures.BETA;
import static chorus.actors.ActorFixtures.QUIET;
import static chorus.actors.ActorFixtures.batch;
import static chorus.actors.ActorFixtures.mvae;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import chorus.actors.ActorFixtures;
import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Objective;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The combiner's side of a step without failures, driven by hand with probes standing in for the workers. */
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
        rig.step(batch(0, ActorFixtures.noLabel()));
        rig.experts(rig.encodes(0, 2));
        rig.decoded(rig.decodes(0, 2));
        rig.computed(rig.backprops(0, 2));
        rig.applied(rig.commits(0, 2));
        rig.outcome.expectMessageClass(StepReport.class);
        CombinerRig.quiet(List.of(rig.enc.get(1), rig.dec.get(1)));
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
        assertDecodesAsPlanned(batch(7, ModelFixtures.someMissing()));
    }

    @Test
    void noCommitIsSentBeforeEveryEncoderHasComputed() {
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
        CombinerRig rig = new CombinerRig(testKit, mvae(1), 3);
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
    void twoPhaseObjectiveSendsEveryDecoderItsCoefficientsOnceAllLogLikelihoodsAreIn() {
        CombinerRig rig = new CombinerRig(testKit, MixtureObjective.iwae(ModelFixtures.MODALITIES, 2,
                ActorFixtures.LAMBDAS, 45), 3);
        rig.step(batch(0, ModelFixtures.allObserved()));
        rig.experts(rig.encodes(0, 1, 2));
        Map<Integer, DecoderWorker.Decode> decodes = rig.decodes(0, 1, 2);
        assertNull(decodes.get(0).request().coefficients());
        rig.scored(Map.of(0, decodes.get(0), 1, decodes.get(1)));
        CombinerRig.quiet(rig.dec);
        rig.scored(Map.of(2, decodes.get(2)));
        for (int j = 0; j < 3; j++) {
            DecoderWorker.Backprop b = rig.dec.get(j).expectMessageClass(DecoderWorker.Backprop.class);
            assertEquals(decodes.get(j).request().rows(), b.coefficients().length());
        }
    }

    /** Runs one step up to its Decode messages and checks them against the objective's own plan. */
    private static Map<Integer, DecoderWorker.Decode> assertDecodesAsPlanned(Batch b) {
        Objective objective = mvae(2);
        CombinerRig rig = new CombinerRig(testKit, objective, 3);
        rig.step(b);
        rig.experts(rig.encodes(0, 1, 2));
        Map<Integer, DecoderWorker.Decode> got = rig.decodes(0, 1, 2);
        CombinerRig.quiet(rig.dec); // exactly one Decode each
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
}
