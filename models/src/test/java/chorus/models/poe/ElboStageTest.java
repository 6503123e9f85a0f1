package chorus.models.poe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.objective.KlAnnealing;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.Noise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ElboStageTest {

    private static final double[] LAMBDAS = {1.0, 3.0, 0.5};

    /** Log-likelihoods and dL/dz that depend only on the z row, so a term gets the same values fused or alone. */
    private static Map<Integer, INDArray> fakeLogProbs(TermStage stage) {
        Map<Integer, INDArray> out = new HashMap<>();
        stage.requests().forEach(r -> out.put(r.modality(), r.z().sum(1).mul(r.modality() + 1.0)));
        return out;
    }

    private static Map<Integer, INDArray> fakeDz(TermStage stage, Map<Integer, INDArray> coefficients) {
        Map<Integer, INDArray> out = new HashMap<>();
        stage.requests().forEach(r -> out.put(r.modality(), r.z().mul(0.3).mulColumnVector(
                coefficients.get(r.modality()).reshape(r.rows(), 1))));
        return out;
    }

    @Test
    void fusedPlanEqualsTheSumOfItsTermsRunAlone() {
        List<Gaussian> experts = MathFixtures.experts(21, 3, 5, 2);
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 2, 4);
        INDArray eps = Noise.standardNormal(8, DataType.DOUBLE, plan.terms() * 5, 2);
        ElboStage fused = ElboStage.forward(experts, presence, plan, eps, 0.7, LAMBDAS);
        var scored = fused.score(fakeLogProbs(fused));
        List<GaussianGrad> grads = fused.backward(fakeDz(fused, scored.coefficients()));
        double loss = 0;
        GaussianGrad sum = null;
        for (int t = 0; t < plan.terms(); t++) {
            INDArray row = plan.subsets().getRow(t, true).dup();
            ElboPlan one = new ElboPlan(row, row, plan.rule(), true, false, List.of(plan.names().get(t)));
            INDArray epsT = eps.get(NDArrayIndex.interval(t * 5, (t + 1) * 5), NDArrayIndex.all()).dup();
            ElboStage alone = ElboStage.forward(experts, presence, one, epsT, 0.7, LAMBDAS);
            var s = alone.score(fakeLogProbs(alone));
            loss += s.loss();
            GaussianGrad g = alone.backward(fakeDz(alone, s.coefficients())).get(0);
            sum = sum == null ? g : sum.plus(g);
        }
        assertEquals(loss, scored.loss(), 1e-12);
        MathFixtures.assertClose(sum.dMu(), grads.get(0).dMu(), 1e-12);
        MathFixtures.assertClose(sum.dLogvar(), grads.get(0).dLogvar(), 1e-12);
    }

    @Test
    void eachDecoderGetsOneRequestHoldingAllItsTerms() {
        List<Gaussian> experts = MathFixtures.experts(22, 3, 4, 2);
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 0, 1); // all + 3 singles
        INDArray eps = Noise.standardNormal(9, DataType.DOUBLE, plan.terms() * 4, 2);
        ElboStage stage = ElboStage.forward(experts, MathFixtures.allPresent(4, 3), plan, eps, 1.0, LAMBDAS);
        assertEquals(3, stage.requests().size());
        stage.requests().forEach(r -> assertEquals(2 * 4, r.rows(), "joint term + its single term, 4 rows each"));
    }

    @Test
    void mopoeWeightsEachRowsSubsetsByTheirCount() {
        INDArray presence = MathFixtures.matrix(new double[][] {{1, 1, 1}, {1, 0, 0}});
        ElboPlan plan = ElboPlan.mopoe(ModelFixtures.MODALITIES, false);
        INDArray w = plan.rowWeights(presence, DataType.DOUBLE).reshape(plan.terms(), 2);
        assertEquals(1.0, w.getColumn(0).sumNumber().doubleValue(), 1e-12); // 7 subsets of 1/7
        assertEquals(1.0, w.getColumn(1).sumNumber().doubleValue(), 1e-12); // only {image}
        assertEquals(1.0, w.getDouble(0, 1), 0.0);
    }

    @Test
    void termValuesAddUpToTheLoss() {
        List<Gaussian> experts = MathFixtures.experts(23, 3, 5, 2);
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 1, 2);
        INDArray eps = Noise.standardNormal(10, DataType.DOUBLE, plan.terms() * 5, 2);
        double beta = 0.25;
        ElboStage stage = ElboStage.forward(experts, MathFixtures.matrix(ModelFixtures.someMissing()), plan, eps, beta, LAMBDAS);
        var scored = stage.score(fakeLogProbs(stage));
        double total = scored.terms().stream().mapToDouble(v -> v.name().startsWith("kl") ? beta * v.value() : v.value()).sum();
        assertEquals(scored.loss(), total, 1e-12);
        assertTrue(scored.terms().stream().anyMatch(v -> v.name().equals("nll[image+label+features]")));
    }

    @Test
    void wrongNoiseShapeIsNamed() {
        List<Gaussian> experts = MathFixtures.experts(24, 3, 4, 2);
        ElboPlan plan = ElboPlan.joint(ModelFixtures.MODALITIES);
        INDArray eps = Noise.standardNormal(1, DataType.DOUBLE, 3, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> ElboStage.forward(experts, MathFixtures.allPresent(4, 3), plan, eps, 1.0, LAMBDAS));
        assertTrue(e.getMessage().startsWith("noise eps: shape [3, 2], expected [4, 2]"), e.getMessage());
    }

    @Test
    void klAnnealingRisesLinearlyThenStaysAtOne() {
        KlAnnealing a = new KlAnnealing(100, 0.0);
        assertEquals(0.0, a.beta(0), 0.0);
        assertEquals(0.5, a.beta(50), 1e-12);
        assertEquals(1.0, a.beta(100), 0.0);
        assertEquals(1.0, a.beta(1000), 0.0);
        assertEquals(1.0, new KlAnnealing(0, 0.0).beta(0), 0.0);
    }

    @Test
    void klAnnealingRisesToTheTargetBetaAndStaysThere() {
        KlAnnealing a = new KlAnnealing(KlAnnealing.Schedule.LINEAR, 10, 0.0, 2.5, 0.5);
        assertEquals(1.25, a.beta(5), 1e-12);
        assertEquals(2.5, a.beta(10), 0.0);
        assertEquals(2.5, a.beta(25), 0.0);
        assertEquals(2.5, new KlAnnealing(KlAnnealing.Schedule.CYCLICAL, 0, 0.0, 2.5, 0.5).beta(3), 0.0);
    }

    @Test
    void cyclicalAnnealingRisesOverTheRatioOfEveryCycle() {
        KlAnnealing a = new KlAnnealing(KlAnnealing.Schedule.CYCLICAL, 10, 0.0, 1.0, 0.5);
        assertEquals(0.0, a.beta(0), 0.0);
        assertEquals(0.4, a.beta(2), 1e-12);
        assertEquals(1.0, a.beta(5), 0.0);
        assertEquals(1.0, a.beta(9), 0.0);
        assertEquals(0.0, a.beta(10), 0.0);
        assertEquals(0.6, a.beta(23), 1e-12);
    }

    @Test
    void annealingStartAboveTheTargetIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new KlAnnealing(KlAnnealing.Schedule.LINEAR, 10, 0.8, 0.5, 1.0));
        assertTrue(e.getMessage().startsWith("KL annealing start beta: 0.8, expected a number in [0, 0.5]"), e.getMessage());
    }
}
