package chorus.models.mmvae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.data.Seeds;
import chorus.models.MathFixtures;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.Noise;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The loss against its definition, evaluated one (expert, row, sample) at a time:
 * -(1/B) sum_b (1/|O_b|) sum_{m in O_b} L_mb with the mixture of the row's observed experts.
 */
class MixtureLossTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final int K = 3;
    private static final long SEED = 19;
    private static final double BETA = 0.4;

    @ParameterizedTest
    @EnumSource(MixtureEstimator.class)
    void lossIsTheRowMeanOfTheMeanBoundOverObservedExperts(MixtureEstimator estimator) {
        MultimodalVae model = ModelFixtures.model(31, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(3, 12, DataType.DOUBLE, ModelFixtures.someMissing());
        List<Gaussian> experts = MathFixtures.experts(41, 3, batch.size(), ModelFixtures.LATENT);
        TermStage stage = MixtureObjective.of(ModelFixtures.MODALITIES, K, estimator, LAMBDAS, SEED)
                .forward(experts, batch.presence(), batch.step(), BETA);
        Map<Integer, INDArray> logProbs = new HashMap<>();
        for (DecodeRequest req : stage.requests()) {
            INDArray x = batch.tensors().get(req.modality());
            INDArray params = model.decoders().get(req.modality()).output(req.z());                     // [R, P]
            logProbs.put(req.modality(), model.likelihoods().get(req.modality()).logProb(params, Rows.gather(x, req.dataRows())));
        }
        double expected = definition(model, batch, experts, estimator);
        assertEquals(expected, stage.score(logProbs).loss(), 1e-12 * Math.abs(expected));
    }

    private static double definition(MultimodalVae model, Batch batch, List<Gaussian> experts, MixtureEstimator estimator) {
        int b = batch.size();
        double loss = 0;
        for (int row = 0; row < b; row++) {
            List<Integer> observed = observed(batch, row);
            for (int m : observed) {
                INDArray eps = Noise.standardNormal(Seeds.derive(Seeds.derive(SEED, batch.step()), m), DataType.DOUBLE,
                        K * b, ModelFixtures.LATENT);
                double[] logW = new double[K];
                double elbo = 0;
                for (int k = 0; k < K; k++) {
                    Gaussian q = at(experts.get(m), row);
                    INDArray z = q.sample(eps.get(NDArrayIndex.interval(k * b + row, k * b + row + 1), NDArrayIndex.all()).dup()); // [1, D]
                    double lik = 0;
                    for (int n : observed) {
                        INDArray x = batch.tensors().get(n).getRow(row).reshape(1, -1);                        // [1, size]
                        lik += LAMBDAS[n] * model.likelihoods().get(n).logProb(model.decoders().get(n).output(z), x).getDouble(0);
                    }
                    double mixture = 0;
                    for (int j : observed) {
                        mixture += Math.exp(at(experts.get(j), row).logDensity(z).getDouble(0)) / observed.size();
                    }
                    double prior = Divergence.standardNormalLogDensity(z).getDouble(0);
                    logW[k] = lik + prior - Math.log(mixture);
                    elbo += (lik + BETA * (prior - Math.log(mixture))) / K;
                }
                double bound = estimator == MixtureEstimator.ELBO ? elbo : logMeanExp(logW);
                loss -= bound / (b * observed.size());
            }
        }
        return loss;
    }

    private static List<Integer> observed(Batch batch, int row) {
        return java.util.stream.IntStream.range(0, batch.modalities().size())
                .filter(m -> batch.presence().getDouble(row, m) > 0).boxed().toList();
    }

    private static Gaussian at(Gaussian expert, int row) {
        return new Gaussian(expert.mu().getRow(row).reshape(1, -1).dup(), expert.logvar().getRow(row).reshape(1, -1).dup());
    }

    private static double logMeanExp(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += Math.exp(v);
        }
        return Math.log(sum / values.length);
    }
}
