package chorus.models.privateshared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.poe.ElboPlan;
import chorus.models.poe.ElboStage;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.Noise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The private + shared term stage on fixed experts, with decoders replaced by smooth functions of z. */
class PrivateSharedStageTest {

    private static final double[] LAMBDAS = {1.0, 3.0, 0.5};
    private static final int SHARED = 2;
    private static final int LATENT = 3;

    private static PrivateSharedStage stage(List<Gaussian> experts, INDArray presence, ElboPlan plan, double beta) {
        int rows = plan.terms() * (int) presence.size(0);
        List<INDArray> privateEps = new ArrayList<>();
        for (int j = 0; j < experts.size(); j++) {
            privateEps.add(Noise.standardNormal(30 + j, DataType.DOUBLE, rows, LATENT - SHARED));
        }
        return PrivateSharedStage.forward(experts, presence, plan, sharedEps(plan, presence), privateEps, beta, LAMBDAS, SHARED);
    }

    private static INDArray sharedEps(ElboPlan plan, INDArray presence) {
        return Noise.standardNormal(8, DataType.DOUBLE, plan.terms() * (int) presence.size(0), SHARED);
    }

    /** log p_m(z) = (m+1)/2 |z|^2 + sum z per row: smooth, and different for every modality. */
    private static Map<Integer, INDArray> fakeLogProbs(TermStage stage) {
        Map<Integer, INDArray> out = new HashMap<>();
        stage.requests().forEach(r -> out.put(r.modality(),
                r.z().mul(r.z()).sum(1).muli(0.5 * (r.modality() + 1)).addi(r.z().sum(1))));
        return out;
    }

    /** dL/dz = c_r ((m+1) z + 1), the decoder backward of {@link #fakeLogProbs}. */
    private static INDArray fakeDz(DecodeRequest r, INDArray coefficients) {
        return r.z().mul(r.modality() + 1).addi(1.0).muliColumnVector(coefficients.reshape(r.rows(), 1));
    }

    private static Map<Integer, INDArray> fakeDz(TermStage stage, Scored scored) {
        Map<Integer, INDArray> out = new HashMap<>();
        stage.requests().forEach(r -> out.put(r.modality(), fakeDz(r, scored.coefficients().get(r.modality()))));
        return out;
    }

    @Test
    void backwardMatchesFiniteDifferencesWithMissingModalities() {
        List<Gaussian> experts = MathFixtures.experts(41, 3, 5, LATENT);
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 2, 6);
        PrivateSharedStage s = stage(experts, presence, plan, 0.7);
        List<GaussianGrad> grads = s.backward(fakeDz(s, s.score(fakeLogProbs(s))));
        for (int j = 0; j < 3; j++) {
            java.util.function.DoubleSupplier loss = () -> {
                PrivateSharedStage again = stage(experts, presence, plan, 0.7);
                return again.score(fakeLogProbs(again)).loss();
            };
            GradCheck.assertGradient("dMu " + j, grads.get(j).dMu(), experts.get(j).mu(), loss);
            GradCheck.assertGradient("dLogvar " + j, grads.get(j).dLogvar(), experts.get(j).logvar(), loss);
        }
    }

    @Test
    void eachDecoderGetsOneRequestOverTheWholeLatent() {
        List<Gaussian> experts = MathFixtures.experts(42, 3, 4, LATENT);
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 0, 1); // all + 3 singles
        PrivateSharedStage s = stage(experts, MathFixtures.allPresent(4, 3), plan, 1.0);
        assertEquals(List.of(0, 1, 2), s.requests().stream().map(DecodeRequest::modality).toList());
        s.requests().forEach(r -> assertArrayEquals(new long[] {2 * 4, LATENT}, r.z().shape(), "joint + single term"));
    }

    @Test
    void sharedColumnsAndCoefficientsAreThoseOfTheElboStageOverTheSharedSlices() {
        List<Gaussian> experts = MathFixtures.experts(43, 3, 5, LATENT);
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        ElboPlan plan = ElboPlan.mopoe(ModelFixtures.MODALITIES, false);
        PrivateSharedStage s = stage(experts, presence, plan, 0.5);
        ElboStage elbo = ElboStage.forward(experts.stream().map(e -> e.columns(0, SHARED)).toList(), presence, plan,
                sharedEps(plan, presence), 0.5, LAMBDAS);
        assertEquals(elbo.requests().size(), s.requests().size());
        for (int i = 0; i < s.requests().size(); i++) {
            DecodeRequest mine = s.requests().get(i);
            DecodeRequest theirs = elbo.requests().get(i);
            assertEquals(theirs.z(), mine.z().get(NDArrayIndex.all(), NDArrayIndex.interval(0, SHARED)));
            assertArrayEquals(theirs.dataRows(), mine.dataRows());
            assertEquals(theirs.coefficients(), mine.coefficients());
        }
    }

    @Test
    void privateColumnsOfZComeFromTheTargetModalitysOwnExpert() {
        List<Gaussian> experts = MathFixtures.experts(44, 3, 5, LATENT);
        for (int j = 0; j < 3; j++) {   // private mean 10 (j+1), std e^-20: z_p is that mean to 1e-8
            experts.get(j).mu().getColumn(SHARED).assign(10.0 * (j + 1));
            experts.get(j).logvar().getColumn(SHARED).assign(-40.0);
        }
        PrivateSharedStage s = stage(experts, MathFixtures.matrix(ModelFixtures.someMissing()),
                ElboPlan.mvae(ModelFixtures.MODALITIES, 2, 7), 1.0);
        for (DecodeRequest r : s.requests()) {
            INDArray zp = r.z().getColumn(SHARED);
            MathFixtures.assertClose(Nd4j.valueArrayOf(zp.shape(), 10.0 * (r.modality() + 1)), zp, 1e-6);
        }
    }

    @Test
    void privateSliceGetsNoGradientFromOtherModalitiesDecoders() {
        List<Gaussian> experts = MathFixtures.experts(45, 3, 5, LATENT);
        PrivateSharedStage s = stage(experts, MathFixtures.allPresent(5, 3), ElboPlan.mvae(ModelFixtures.MODALITIES, 1, 8), 0.0);
        Scored scored = s.score(fakeLogProbs(s));
        Map<Integer, INDArray> dz = new HashMap<>();   // only decoder 0 (the image) passes a gradient back
        s.requests().forEach(r -> dz.put(r.modality(), r.modality() == 0
                ? fakeDz(r, scored.coefficients().get(0)) : Nd4j.zeros(DataType.DOUBLE, r.rows(), LATENT)));
        List<GaussianGrad> grads = s.backward(dz);
        for (int j = 1; j < 3; j++) {
            MathFixtures.assertExactlyZero("private dMu of expert " + j, grads.get(j).dMu().getColumn(SHARED));
            MathFixtures.assertExactlyZero("private dLogvar of expert " + j, grads.get(j).dLogvar().getColumn(SHARED));
            assertTrue(grads.get(j).dMu().getColumn(0).norm2Number().doubleValue() > 0, "shared slice of " + j);
        }
        assertTrue(grads.get(0).dMu().getColumn(SHARED).norm2Number().doubleValue() > 0, "private slice of the image");
    }

    @Test
    void privateKlOfTheJointTermIsTheBatchMeanOfEveryObservedPrivateKl() {
        List<Gaussian> experts = MathFixtures.experts(46, 3, 5, LATENT);
        double[][] presence = ModelFixtures.someMissing();
        PrivateSharedStage s = stage(experts, MathFixtures.matrix(presence), ElboPlan.joint(ModelFixtures.MODALITIES), 1.0);
        double expected = 0;
        for (int j = 0; j < 3; j++) {
            INDArray kl = Divergence.klStandardNormal(experts.get(j).columns(SHARED, LATENT)); // [B]
            for (int b = 0; b < 5; b++) {
                expected += presence[b][j] * kl.getDouble(b) / 5;
            }
        }
        double klp = s.score(fakeLogProbs(s)).terms().stream()
                .filter(t -> t.name().equals("klp[image+label+features]")).findFirst().orElseThrow().value();
        assertEquals(expected, klp, 1e-12);
    }

    @Test
    void termValuesAddUpToTheLoss() {
        List<Gaussian> experts = MathFixtures.experts(47, 3, 5, LATENT);
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        ElboPlan plan = ElboPlan.mvae(ModelFixtures.MODALITIES, 1, 2);
        for (double beta : new double[] {1.0, 0.3}) {
            PrivateSharedStage s = stage(experts, presence, plan, beta);
            Scored scored = s.score(fakeLogProbs(s));
            double total = scored.terms().stream().mapToDouble(v -> v.name().startsWith("kl") ? beta * v.value() : v.value()).sum();
            assertEquals(scored.loss(), total, 1e-12);
            assertEquals(3 * plan.terms(), scored.terms().size(), "nll, kl and klp per term");
        }
    }

    @Test
    void sharedDimLeavingNoPrivateColumnIsRejectedByName() {
        List<Gaussian> experts = MathFixtures.experts(48, 3, 4, LATENT);
        ElboPlan plan = ElboPlan.joint(ModelFixtures.MODALITIES);
        var e = assertThrows(IllegalArgumentException.class, () -> PrivateSharedStage.forward(experts,
                MathFixtures.allPresent(4, 3), plan, Noise.standardNormal(1, DataType.DOUBLE, 4, 3), List.of(), 1.0, LAMBDAS, 3));
        assertTrue(e.getMessage().startsWith("sharedDim: 3"), e.getMessage());
    }
}
