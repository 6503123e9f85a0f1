package chorus.models.mmvaeplus;

import chorus.models.GradCheck;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.likelihood.Likelihood;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.nn.Gradients;
import chorus.models.nn.Network;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.DecoderStage;
import chorus.models.objective.Scored;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import chorus.models.posterior.LaplaceMath;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * MMVAE+'s DReG encoder gradient against its definition (Tucker et al. 2018): for one modality (q_mix is its
 * own expert on z), F(loc', s') = -(1/B) sum_{b,k} w~_kb^2 log w(u'_kb), u' = loc' + exp(s') eps, with w~ held at
 * its value and every density's parameters held at (loc, s); its finite-difference gradient is DReG's
 * dL/d(loc, s). log w = lambda log p(x | u) + beta (log p(u) - log q(z) - log q(w)).
 */
class PlusDregTest {

    @Test
    void dregExpertGradientIsTheSquaredWeightPathwiseGradient() {
        int k = 2;
        int b = 4;
        int d = ModelFixtures.LATENT;   // Dz 2 + Dw 1
        long seed = 5;
        long step = 2;
        double lambda = 1.7;
        double beta = 0.8;
        MultimodalVae model = ModelFixtures.model(14, DataType.DOUBLE);
        Network decoder = model.decoders().get(2);
        Likelihood likelihood = model.likelihoods().get(2);
        INDArray x = ModelFixtures.batch(step, 8, DataType.DOUBLE, ModelFixtures.allObserved()).tensors().get(2); // [B, 3]
        Gaussian q = MathFixtures.expert(17, b, d);
        TermStage stage = new PlusObjective(List.of(ModelFixtures.FEATURES), k, 1, 1.0, MixtureEstimator.DREG,
                new double[] {lambda}, seed).forward(List.of(q), MathFixtures.allPresent(b, 1), step, beta);
        GaussianGrad actual = expertGrad(stage, decoder, likelihood, x);

        INDArray eps = new StepNoise(seed, 0).drawLaplace(step, 0, DataType.DOUBLE, k * b, d); // [K*B, D]
        INDArray xs = Nd4j.tile(x, k, 1);                                                    // [K*B, 3]
        INDArray fixedLoc = Nd4j.tile(q.mu(), k, 1);                                         // [K*B, D]
        INDArray fixedScale = Nd4j.tile(q.logvar(), k, 1);                                   // [K*B, D]
        INDArray logW = logWeights(q.mu(), q.logvar(), eps, fixedLoc, fixedScale, decoder, likelihood, xs, lambda, beta);
        INDArray w = Transforms.softmax(logW.reshape(k, b).transpose(), true).transpose().reshape(k * b); // per-row softmax
        INDArray coeff = w.mul(w).muli(-1.0 / b);                                            // [K*B] -(1/B) w~^2
        INDArray loc = q.mu().dup();
        INDArray scale = q.logvar().dup();
        java.util.function.DoubleSupplier surrogate = () -> GradCheck.dot(coeff,
                logWeights(loc, scale, eps, fixedLoc, fixedScale, decoder, likelihood, xs, lambda, beta));
        GradCheck.assertGradient("DReG dL/dloc", actual.dMu(), loc, surrogate);
        GradCheck.assertGradient("DReG dL/dlog-scale", actual.dLogvar(), scale, surrogate);
    }

    /** log w per sample row {@code [K*B]} at u = loc + exp(s) eps, the densities' parameters fixed. */
    private static INDArray logWeights(INDArray loc, INDArray scale, INDArray eps, INDArray fixedLoc, INDArray fixedScale,
                                       Network decoder, Likelihood likelihood, INDArray xs, double lambda, double beta) {
        int k = (int) (eps.size(0) / loc.size(0));
        INDArray u = Transforms.exp(Nd4j.tile(scale, k, 1), true).muli(eps).addi(Nd4j.tile(loc, k, 1)); // [K*B, D]
        INDArray out = likelihood.logProb(decoder.output(u), xs).muli(lambda);                          // [K*B]
        for (int r = 0; r < u.size(0); r++) {
            double density = 0;
            for (int c = 0; c < u.size(1); c++) {
                double v = u.getDouble(r, c);
                density += LaplaceMath.logDensity(v, 0.0, 0.0)
                        - LaplaceMath.logDensity(v, fixedLoc.getDouble(r, c), fixedScale.getDouble(r, c));
            }
            out.putScalar(r, out.getDouble(r) + beta * density);
        }
        return out;
    }

    private static GaussianGrad expertGrad(TermStage stage, Network decoder, Likelihood likelihood, INDArray x) {
        DecodeRequest req = stage.requests().get(0);
        DecoderStage running = DecoderStage.forward(decoder, likelihood, req, x);
        Scored scored = stage.score(java.util.Map.of(0, running.logProb()));
        Gradients g = running.backward(scored.coefficients().get(0));
        return stage.backward(java.util.Map.of(0, g.input())).get(0);
    }
}
