package chorus.models.mmvae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.data.Seeds;
import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Gradients;
import chorus.models.nn.Network;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.DecoderStage;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.Noise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The three estimators against each other and DReG's encoder gradient against its definition. */
class MixtureEstimatorTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};

    @Test
    void iwaeWithOneSampleIsTheStratifiedElboAtBetaOne() {
        MultimodalVae model = ModelFixtures.model(11, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(3, 5, DataType.DOUBLE, ModelFixtures.someMissing());
        var iwae = ReferenceModel.gradients(model, MixtureObjective.iwae(ModelFixtures.MODALITIES, 1, LAMBDAS, 7), batch, 0.4);
        var elbo = ReferenceModel.gradients(model, MixtureObjective.elbo(ModelFixtures.MODALITIES, 1, LAMBDAS, 7), batch, 1.0);
        assertEquals(elbo.loss(), iwae.loss(), 1e-12 * Math.abs(elbo.loss()));
        for (int j = 0; j < 3; j++) {
            MathFixtures.assertClose(elbo.encoderGrads().get(j), iwae.encoderGrads().get(j), 1e-12);
            MathFixtures.assertClose(elbo.decoderGrads().get(j), iwae.decoderGrads().get(j), 1e-12);
        }
    }

    @Test
    void iwaeBoundIsAtLeastTheElboOnTheSameSamples() {
        // Jensen: log mean_k w_k >= mean_k log w_k for every expert and row, so the IWAE loss is at most
        // the ELBO loss at every step (same seed, same z), and strictly below it on average.
        MultimodalVae model = ModelFixtures.model(12, DataType.DOUBLE);
        double gap = 0;
        for (long step = 0; step < 4; step++) {
            for (double[][] presence : List.of(ModelFixtures.someMissing(), ModelFixtures.allObserved())) {
                Batch batch = ModelFixtures.batch(step, 40 + step, DataType.DOUBLE, presence);
                double iwae = ReferenceModel.gradients(model, MixtureObjective.iwae(ModelFixtures.MODALITIES, 10, LAMBDAS, 9), batch, 1).loss();
                double elbo = ReferenceModel.gradients(model, MixtureObjective.elbo(ModelFixtures.MODALITIES, 10, LAMBDAS, 9), batch, 1).loss();
                assertTrue(iwae <= elbo, "step " + step + ": IWAE loss " + iwae + " > ELBO loss " + elbo);
                gap += (elbo - iwae) / 8;
            }
        }
        assertTrue(gap > 1e-3, "mean gap " + gap);
    }

    @Test
    void dregHasTheIwaeLossAndDecoderGradientsButAnotherEncoderGradient() {
        MultimodalVae model = ModelFixtures.model(13, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(1, 6, DataType.DOUBLE, ModelFixtures.someMissing());
        var iwae = ReferenceModel.gradients(model, MixtureObjective.iwae(ModelFixtures.MODALITIES, 4, LAMBDAS, 3), batch, 1);
        var dreg = ReferenceModel.gradients(model, MixtureObjective.dreg(ModelFixtures.MODALITIES, 4, LAMBDAS, 3), batch, 1);
        assertEquals(iwae.loss(), dreg.loss(), 0.0);
        for (int j = 0; j < 3; j++) {
            assertEquals(iwae.decoderGrads().get(j), dreg.decoderGrads().get(j), "decoder " + j);
            double diff = iwae.encoderGrads().get(j).sub(dreg.encoderGrads().get(j)).amaxNumber().doubleValue();
            assertTrue(diff > 1e-6, "encoder " + j + " has the IWAE gradient under DReG");
        }
    }

    @Test
    void dregExpertGradientIsTheSquaredWeightPathwiseGradient() {
        // Brute force for one modality, K = 2: F(mu', logvar') = -(1/B) sum_{b,k} w~_kb^2 log w(z'_kb) with
        // z' = mu' + exp(logvar'/2) eps, w~ held at its value and log q's parameters held at (mu, logvar);
        // its finite-difference gradient is DReG's dL/d(mu, logvar) (Tucker et al. 2018).
        int k = 2;
        int b = 4;
        long seed = 5;
        long step = 2;
        double lambda = 1.7;
        MultimodalVae model = ModelFixtures.model(14, DataType.DOUBLE);
        Network decoder = model.decoders().get(2);
        Likelihood likelihood = model.likelihoods().get(2);
        INDArray x = ModelFixtures.batch(step, 8, DataType.DOUBLE, ModelFixtures.allObserved()).tensors().get(2); // [B, 3]
        Gaussian q = MathFixtures.expert(17, b, ModelFixtures.LATENT);
        TermStage stage = MixtureObjective.dreg(List.of(ModelFixtures.FEATURES), k, new double[] {lambda}, seed)
                .forward(List.of(q), MathFixtures.allPresent(b, 1), step, 1);
        GaussianGrad actual = expertGrads(stage, List.of(decoder), List.of(likelihood), List.of(x)).get(0);

        INDArray eps = Noise.standardNormal(Seeds.derive(Seeds.derive(seed, step), 0), DataType.DOUBLE, k * b, ModelFixtures.LATENT);
        INDArray xs = Nd4j.tile(x, k, 1);                                                  // [K*B, 3]
        Gaussian fixedQ = q.repeat(k);                                                    // [K*B, D]
        INDArray logW = logWeights(q.mu(), q.logvar(), eps, fixedQ, decoder, likelihood, xs, lambda); // [K*B]
        INDArray w = Transforms.softmax(logW.reshape(k, b).transpose(), true).transpose().reshape(k * b); // [K*B] per-row softmax
        INDArray coeff = w.mul(w).muli(-1.0 / b);                                        // [K*B] -(1/B) w~^2
        INDArray mu = q.mu().dup();
        INDArray logvar = q.logvar().dup();
        java.util.function.DoubleSupplier surrogate =
                () -> GradCheck.dot(coeff, logWeights(mu, logvar, eps, fixedQ, decoder, likelihood, xs, lambda));
        GradCheck.assertGradient("DReG dL/dmu", actual.dMu(), mu, surrogate);
        GradCheck.assertGradient("DReG dL/dlogvar", actual.dLogvar(), logvar, surrogate);
    }

    @Test
    void rowsNotObservingAnExpertGetExactlyZeroGradient() {
        MultimodalVae model = ModelFixtures.model(15, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(4, 2, DataType.DOUBLE, ModelFixtures.someMissing());
        List<Gaussian> experts = MathFixtures.experts(3, 3, batch.size(), ModelFixtures.LATENT);
        for (MixtureEstimator estimator : MixtureEstimator.values()) {
            TermStage stage = MixtureObjective.of(ModelFixtures.MODALITIES, 3, estimator, LAMBDAS, 6)
                    .forward(experts, batch.presence(), batch.step(), 0.5);
            List<GaussianGrad> grads = expertGrads(stage, model.decoders(), model.likelihoods(), batch.tensors());
            for (int m = 0; m < 3; m++) {
                for (int row = 0; row < batch.size(); row++) {
                    boolean observed = batch.presence().getDouble(row, m) > 0;
                    double size = grads.get(m).dMu().getRow(row).amaxNumber().doubleValue()
                            + grads.get(m).dLogvar().getRow(row).amaxNumber().doubleValue();
                    assertTrue(observed ? size > 0 : size == 0.0, estimator + " expert " + m + " row " + row + ": " + size);
                }
            }
        }
    }

    /** log w = lambda log p(x | z) + log N(z; 0, I) - log q(z) at z = mu + exp(logvar/2) eps, with q fixed. */
    private static INDArray logWeights(INDArray mu, INDArray logvar, INDArray eps, Gaussian fixedQ, Network decoder,
                                       Likelihood likelihood, INDArray xs, double lambda) {
        int k = (int) (eps.size(0) / mu.size(0));
        INDArray z = new Gaussian(mu, logvar).repeat(k).sample(eps);                      // [K*B, D]
        INDArray logp = likelihood.logProb(decoder.output(z), xs).muli(lambda);           // [K*B]
        return logp.addi(Divergence.standardNormalLogDensity(z)).subi(fixedQ.logDensity(z)); // [K*B]
    }

    /** Runs the decoders on the stage's requests and returns dL/d(mu, logvar) per expert. */
    static List<GaussianGrad> expertGrads(TermStage stage, List<Network> decoders, List<Likelihood> likelihoods,
                                          List<INDArray> data) {
        Map<Integer, DecoderStage> running = new HashMap<>();
        Map<Integer, INDArray> logProbs = new HashMap<>();
        for (DecodeRequest req : stage.requests()) {
            int n = req.modality();
            running.put(n, DecoderStage.forward(decoders.get(n), likelihoods.get(n), req, data.get(n)));
            logProbs.put(n, running.get(n).logProb());
        }
        Scored scored = stage.score(logProbs);
        Map<Integer, INDArray> dz = new HashMap<>();
        running.forEach((n, d) -> {
            Gradients g = d.backward(scored.coefficients().get(n));
            dz.put(n, g.input());
        });
        return stage.backward(dz);
    }
}
