package chorus.models.mmvae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Seeds;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.Noise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** MixtureObjective's arguments, the layout of its decoder requests, its noise and its logged terms. */
class MixtureObjectiveTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final int B = 5;
    private static final int D = ModelFixtures.LATENT;

    @Test
    void rejectsFewerThanOneSample() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MixtureObjective.iwae(ModelFixtures.MODALITIES, 0, LAMBDAS, 1));
        assertTrue(e.getMessage().contains("samples K: 0, expected at least 1"), e.getMessage());
    }

    @Test
    void rejectsOneLambdaPerModalityMissing() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MixtureObjective.elbo(ModelFixtures.MODALITIES, 2, new double[] {1, 1}, 1));
        assertTrue(e.getMessage().contains("lambdas: 2 weights for 3 modalities"), e.getMessage());
    }

    @Test
    void rejectsNegativeBeta() {
        MixtureObjective mmvae = MixtureObjective.dreg(ModelFixtures.MODALITIES, 2, LAMBDAS, 1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> mmvae.forward(experts(), MathFixtures.allPresent(B, 3), 0, -0.5));
        assertTrue(e.getMessage().contains("beta: -0.5, expected a finite number >= 0"), e.getMessage());
    }

    @Test
    void everySampleOfEveryExpertIsDecodedByEveryModalityItsRowObserves() {
        int k = 2;
        long seed = 21;
        long step = 6;
        List<Gaussian> experts = experts();
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        TermStage stage = MixtureObjective.iwae(ModelFixtures.MODALITIES, k, LAMBDAS, seed).forward(experts, presence, step, 1);
        assertEquals(3, stage.requests().size());
        for (DecodeRequest req : stage.requests()) {
            int n = req.modality();
            int r = 0;
            for (int m = 0; m < 3; m++) {
                INDArray eps = Noise.standardNormal(Seeds.derive(Seeds.derive(seed, step), m), DataType.DOUBLE, k * B, D);
                INDArray z = experts.get(m).repeat(k).sample(eps);                        // [K*B, D]
                for (int s = 0; s < k; s++) {
                    for (int b = 0; b < B; b++) {
                        if (presence.getDouble(b, m) > 0 && presence.getDouble(b, n) > 0) {
                            assertEquals(b, req.dataRows()[r]);
                            MathFixtures.assertClose(z.getRow(s * B + b), req.z().getRow(r), 0.0);
                            r++;
                        }
                    }
                }
            }
            assertEquals(r, req.rows(), "rows of decoder " + n);
        }
    }

    @Test
    void onlyTheElboKnowsItsCoefficientsBeforeScoringAndScoringKeepsThem() {
        INDArray presence = MathFixtures.matrix(ModelFixtures.someMissing());
        for (MixtureEstimator estimator : MixtureEstimator.values()) {
            TermStage stage = MixtureObjective.of(ModelFixtures.MODALITIES, 3, estimator, LAMBDAS, 2)
                    .forward(experts(), presence, 0, 0.5);
            Map<Integer, INDArray> logProbs = new HashMap<>();
            stage.requests().forEach(req -> logProbs.put(req.modality(), MathFixtures.normal(req.modality(), req.rows(), 1, 3)
                    .reshape(req.rows())));
            Scored scored = stage.score(logProbs);
            for (DecodeRequest req : stage.requests()) {
                if (estimator == MixtureEstimator.ELBO) {
                    assertEquals(req.coefficients(), scored.coefficients().get(req.modality()), "request " + req.modality());
                } else {
                    assertNull(req.coefficients(), estimator + " request " + req.modality());
                }
            }
        }
    }

    @Test
    void elboTermsAddUpToTheLossWithTheKlWeightedByBeta() {
        double beta = 0.3;
        MultimodalVae model = ModelFixtures.model(8, DataType.DOUBLE);
        var batch = ModelFixtures.batch(2, 3, DataType.DOUBLE, ModelFixtures.someMissing());
        ReferenceModel.StepResult r = ReferenceModel.gradients(model,
                MixtureObjective.elbo(ModelFixtures.MODALITIES, 3, LAMBDAS, 4), batch, beta);
        assertEquals(List.of("nll[image]", "kl[image]", "nll[label]", "kl[label]", "nll[features]", "kl[features]"),
                r.terms().stream().map(TermValue::name).toList());
        double sum = 0;
        for (TermValue t : r.terms()) {
            sum += t.name().startsWith("kl") ? beta * t.value() : t.value();
        }
        assertEquals(r.loss(), sum, 1e-12 * Math.abs(r.loss()));
    }

    @Test
    void iwaeTermsAddUpToTheLoss() {
        MultimodalVae model = ModelFixtures.model(8, DataType.DOUBLE);
        var batch = ModelFixtures.batch(2, 3, DataType.DOUBLE, ModelFixtures.someMissing());
        for (MixtureEstimator estimator : new MixtureEstimator[] {MixtureEstimator.IWAE, MixtureEstimator.DREG}) {
            ReferenceModel.StepResult r = ReferenceModel.gradients(model,
                    MixtureObjective.of(ModelFixtures.MODALITIES, 3, estimator, LAMBDAS, 4), batch, 0.2);
            assertEquals(List.of("iwae[image]", "iwae[label]", "iwae[features]"),
                    r.terms().stream().map(TermValue::name).toList());
            double sum = r.terms().stream().mapToDouble(TermValue::value).sum();
            assertEquals(r.loss(), sum, 1e-12 * Math.abs(r.loss()), estimator.name());
        }
    }

    @Test
    void lambdasAreACopy() {
        double[] lambdas = LAMBDAS.clone();
        MixtureObjective mmvae = MixtureObjective.elbo(ModelFixtures.MODALITIES, 1, lambdas, 1);
        lambdas[0] = 9;
        mmvae.lambdas()[1] = 9;
        assertArrayEquals(LAMBDAS, mmvae.lambdas());
    }

    private static List<Gaussian> experts() {
        return MathFixtures.experts(31, 3, B, D);
    }
}
