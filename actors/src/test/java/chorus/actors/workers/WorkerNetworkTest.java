package chorus.actors.workers;

import static chorus.actors.ActorFixtures.DTYPE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.ActorFixtures;
import chorus.models.ModelFixtures;
import chorus.models.nn.Network;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A worker's master network, per-step replicas and in-order commits, without actors. */
class WorkerNetworkTest {

    private final WorkerNetwork net = new WorkerNetwork(ModelFixtures.model(71, DTYPE).encoders().get(2));
    private final INDArray initial = net.master().params();

    @Test
    void laterStepCommittedFirstWaitsAndThenBothApplyInStepOrder() {
        computed(1, 2);
        assertTrue(commit(net, 2, 2, "test").isEmpty());
        assertEquals(initial, net.master().params());
        assertEquals(List.of(1L, 2L), steps(commit(net, 1, 1, "test")));
        assertEquals(2, net.version());
    }

    @Test
    void stalenessCountsTheUpdatesAppliedSinceTheStepsForward() {
        computed(1, 2);
        assertEquals(0, commit(net, 1, 1, "test").get(0).staleness());
        assertEquals(1, commit(net, 2, 2, "test").get(0).staleness());
        computed(3);
        assertEquals(0, commit(net, 3, 3, "test").get(0).staleness());
    }

    @Test
    void stepWithoutGradientIsAppliedWithoutAnUpdate() {
        net.forward(1);
        net.computed(1, null);
        assertEquals(1, commit(net, 1, 1, "test").size());
        assertEquals(0, net.version());
        assertEquals(initial, net.master().params());
    }

    @Test
    void appliedBusyTimeIncludesTheUpdateOnTopOfTheHandlersTime() {
        computed(1);
        net.busy(1, 1_000);
        assertTrue(commit(net, 1, 1, "test").get(0).busyNanos() > 1_000); // the Adam step took some time too
    }

    @Test
    void discardedStepNoLongerHoldsBackLaterCommits() {
        net.forward(1);
        computed(2);
        net.discard(1);
        assertEquals(List.of(2L), steps(commit(net, 2, 2, "test")));
    }

    @Test
    void discardReturnsTheReplicaToThePool() {
        var replica = net.forward(1);
        net.discard(1);
        assertSame(replica, net.forward(2));
    }

    @Test
    void replicaCarriesTheMastersParametersAtForwardTime() {
        computed(1);
        commit(net, 1, 1, "test");
        INDArray updated = net.master().params();
        assertNotEquals(initial, updated);
        assertEquals(updated, net.forward(2).params());
    }

    @Test
    void commitBeforeTheGradientIsAnErrorNamingWorkerAndStep() {
        net.forward(4);
        var e = assertThrows(IllegalStateException.class, () -> commit(net, 4, 4, "encoder[2]"));
        assertTrue(e.getMessage().contains("encoder[2]") && e.getMessage().contains("step 4"), e.getMessage());
    }

    /** Forwards {@code steps} (all at the current parameters), then records a gradient for each. */
    @Test
    void aGradientNobodyElseHoldsIsRecycledOnceApplied() {
        WorkerNetwork own = new WorkerNetwork(ModelFixtures.model(72, DTYPE).encoders().get(2), true);
        INDArray grad = Nd4j.ones(DTYPE, 1, own.master().numParams()).muli(0.1);
        INDArray before = own.master().params();
        own.forward(1);
        own.computed(1, grad);
        commit(own, 1, 1, "test");
        assertTrue(!before.equals(own.master().params()), "the update was applied first");
        Network master = own.master();
        master.forward(Nd4j.ones(DTYPE, 2, master.inputSize()));
        assertSame(grad, master.backwardParams(Nd4j.ones(DTYPE, 2, master.outputSize())),
                "then the network took the applied gradient's array back: the next backward fills it");
    }

    @Test
    void aReportedGradientIsKeptAfterItIsApplied() {
        INDArray grad = Nd4j.ones(DTYPE, 1, net.master().numParams()).muli(0.1);
        net.forward(1);
        net.computed(1, grad);
        commit(net, 1, 1, "test");
        assertEquals(0.1, grad.getDouble(0), 1e-12);
    }

    private void computed(long... steps) {
        for (long s : steps) {
            net.forward(s);
        }
        for (long s : steps) {
            net.computed(s, Nd4j.ones(DTYPE, 1, net.master().numParams()).muli(0.1));
        }
    }

    @Test
    void anUpdateThatFailsIsUndoneAndTheStepStaysFirstToApply() {
        computed(1, 2);
        INDArray params = net.master().params();
        INDArray adam = net.master().updaterState();
        var e = assertThrows(WorkerNetwork.UpdateFailed.class, () -> net.commit(1, 1, "test", s -> {
            throw new IllegalStateException("injected");
        }, a -> { }));
        assertEquals(1, e.step());
        assertEquals(params, net.master().params(), "parameters as before the update");
        assertEquals(adam, net.master().updaterState(), "Adam state as before the update");
        assertEquals(List.of(1L, 2L), steps(commit(net, 2, 2, "test")), "step 1 applies with step 2's commit");
        assertEquals(List.of(), commit(net, 1, 1, "test"), "its own retried commit then does nothing");
    }

    @Test
    void aFailedUpdateRetriedEndsOnTheParametersOfOneThatNeverFailed() {
        WorkerNetwork clean = new WorkerNetwork(ModelFixtures.model(71, DTYPE).encoders().get(2));
        for (WorkerNetwork n : List.of(net, clean)) {
            n.forward(1);
            n.computed(1, Nd4j.ones(DTYPE, 1, n.master().numParams()).muli(0.1));
        }
        assertThrows(WorkerNetwork.UpdateFailed.class, () -> net.commit(1, 1, "test", s -> {
            throw new IllegalStateException("injected after the update changed the parameters");
        }, a -> { }));
        commit(net, 1, 1, "test");
        commit(clean, 1, 1, "test");
        assertEquals(clean.master().params(), net.master().params());
        assertEquals(clean.master().updaterState(), net.master().updaterState());
    }

    /** Commits {@code step} with no update check, returning what was applied. */
    private static List<WorkerNetwork.Applied> commit(WorkerNetwork n, long step, int iteration, String who) {
        List<WorkerNetwork.Applied> out = new java.util.ArrayList<>();
        n.commit(step, iteration, who, s -> { }, out::add);
        return out;
    }

    private static List<Long> steps(List<WorkerNetwork.Applied> applied) {
        return applied.stream().map(WorkerNetwork.Applied::step).toList();
    }
}
