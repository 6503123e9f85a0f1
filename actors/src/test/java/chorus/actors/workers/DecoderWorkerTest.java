package chorus.actors.workers;

import static chorus.actors.ActorFixtures.DTYPE;
import static chorus.actors.ActorFixtures.QUIET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import chorus.actors.ActorFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.objective.DecodeRequest;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Decoder[image] on a real tiny network: one- and two-phase requests, commit, abort and NaN. */
class DecoderWorkerTest {

    private static final int[] DATA_ROWS = {0, 1, 3, 0}; // two terms' rows of the image (observed in rows 0, 1, 3)

    private static ActorTestKit testKit;

    private final TestProbe<WorkerProtocol.Reply> replies = testKit.createTestProbe();
    private final TestProbe<WorkerState> states = testKit.createTestProbe();

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create();
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void requestWithCoefficientsIsScoredAndBackpropagatedInOneReply() {
        WorkerProtocol.Decoded d = decode(worker(), request(coefficients()));
        assertArrayEquals(new long[] {4}, d.logProb().shape());
        assertArrayEquals(new long[] {4, ModelFixtures.LATENT}, d.dz().shape());
        assertEquals(ModelFixtures.model(62, DTYPE).decoders().get(0).numParams(), d.grad().length());
        replies.expectNoMessage(QUIET);
    }

    @Test
    void requestWithoutCoefficientsIsScoredThenBackpropagatedOnTheCoefficients() {
        ActorRef<DecoderWorker.Command> w = worker();
        score(w, request(null)); // scored only: no dz yet
        w.tell(new DecoderWorker.Backprop(0, 0, coefficients(), replies.ref()));
        WorkerProtocol.Backpropagated back = replies.expectMessageClass(WorkerProtocol.Backpropagated.class);
        assertEquals(decode(worker(), request(coefficients())).grad(), back.grad()); // as the one-phase request
    }

    @Test
    void commitAppliesTheUpdateAndRepliesApplied() {
        ActorRef<DecoderWorker.Command> w = worker();
        INDArray before = params(w);
        decode(w, request(coefficients()));
        w.tell(new WorkerProtocol.Commit(0, 0, replies.ref()));
        assertEquals(WorkerId.decoder(0), replies.expectMessageClass(WorkerProtocol.Applied.class).worker());
        assertNotEquals(before, params(w));
    }

    @Test
    void abortForgetsTheScoredForward() {
        ActorRef<DecoderWorker.Command> w = worker();
        score(w, request(null));
        w.tell(new WorkerProtocol.Abort(0));
        w.tell(new DecoderWorker.Backprop(0, 0, coefficients(), replies.ref()));
        WorkerProtocol.Failed f = replies.expectMessageClass(WorkerProtocol.Failed.class);
        assertTrue(f.message().contains("without its forward"), f.message());
    }

    @Test
    void nonFiniteLatentRepliesAFailedThatIsNotRetryable() {
        INDArray z = Nd4j.valueArrayOf(new long[] {4, ModelFixtures.LATENT}, Double.NaN, DTYPE);
        worker().tell(new DecoderWorker.Decode(0, 0, new DecodeRequest(0, z, DATA_ROWS, coefficients()), x(),
                replies.ref()));
        WorkerProtocol.Failed f = replies.expectMessageClass(WorkerProtocol.Failed.class);
        assertFalse(f.retryable());
        assertTrue(f.message().contains("decoder of modality 'image'") && f.message().contains("NaN"), f.message());
    }

    @Test
    void aWorkerThatDoesNotReportGradientsSendsDzButNoParameterGradientAndAppliesTheSameUpdate() {
        ActorRef<DecoderWorker.Command> reporting = worker();
        ActorRef<DecoderWorker.Command> remote = worker(false);
        WorkerProtocol.Decoded full = decode(reporting, request(coefficients()));
        WorkerProtocol.Decoded lean = decode(remote, request(coefficients()));
        assertNull(lean.grad());
        assertEquals(full.dz(), lean.dz());
        for (ActorRef<DecoderWorker.Command> w : List.of(reporting, remote)) {
            w.tell(new WorkerProtocol.Commit(0, 0, replies.ref()));
            replies.expectMessageClass(WorkerProtocol.Applied.class);
        }
        assertEquals(params(reporting), params(remote));
    }

    private ActorRef<DecoderWorker.Command> worker() {
        return worker(true);
    }

    private ActorRef<DecoderWorker.Command> worker(boolean reportGradients) {
        MultimodalVae model = ModelFixtures.model(62, DTYPE);
        return testKit.spawn(DecoderWorker.create(0, "image", model.decoders().get(0), model.likelihoods().get(0),
                Placement.Device.CPU, new WorkerHooks(FaultInjection.NONE, reportGradients)));
    }

    private WorkerProtocol.Decoded decode(ActorRef<DecoderWorker.Command> w, DecodeRequest request) {
        w.tell(new DecoderWorker.Decode(0, 0, request, x(), replies.ref()));
        return replies.expectMessageClass(WorkerProtocol.Decoded.class);
    }

    /** The first phase of a two-phase request: the log-likelihoods alone. */
    private WorkerProtocol.LogLikelihoods score(ActorRef<DecoderWorker.Command> w, DecodeRequest request) {
        w.tell(new DecoderWorker.Decode(0, 0, request, x(), replies.ref()));
        return replies.expectMessageClass(WorkerProtocol.LogLikelihoods.class);
    }

    /** Four z rows {@code [4, LATENT]} for {@link #DATA_ROWS}. */
    private static DecodeRequest request(INDArray coefficients) {
        INDArray z = Nd4j.createFromArray(new double[][] {{0.1, -0.2, 0.3}, {1, 0, -1}, {-0.5, 0.5, 0}, {0, 0, 0}});
        return new DecodeRequest(0, z.castTo(DTYPE), DATA_ROWS, coefficients);
    }

    private static INDArray coefficients() {
        return Nd4j.valueArrayOf(new long[] {4}, -0.25, DTYPE);
    }

    private static INDArray x() {
        return ActorFixtures.batch(0, ModelFixtures.someMissing()).tensors().get(0);
    }

    private INDArray params(ActorRef<DecoderWorker.Command> w) {
        w.tell(new WorkerProtocol.Snapshot(states.ref()));
        return states.receiveMessage().params();
    }
}
