package chorus.models.evaluation.likelihood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.OneDimensionalModel;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.SubsetPosterior;
import chorus.models.posterior.Divergence;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LogLikelihoodTest {

    private static final PosteriorRule POE = new PosteriorRule(Combination.POE, true);
    private static final PosteriorRule MOE = new PosteriorRule(Combination.MOE, false);
    private static final PosteriorRule PLUS = new PosteriorRule(Combination.MMVAEPLUS, false, 2.0); // r(w) = Laplace(0, 2)
    private static final List<String> BOTH = List.of("image", "label");

    @Test
    void oneSampleEstimateIsTheLogWeightOfTheDrawnZ() {
        MultimodalVae model = ModelFixtures.model(4, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(0, 5, DataType.DOUBLE, ModelFixtures.allObserved());
        double[] estimate = LogLikelihood.logMarginal(model, POE, batch, BOTH, 1, 1, 42);

        SubsetPosterior q = Generation.posterior(model, POE, batch, BOTH);
        INDArray z = q.sample(42, 0, 1);                                                  // [B, D]
        INDArray expected = Divergence.standardNormalLogDensity(z).sub(q.product().logDensity(z));
        for (int j = 0; j < 2; j++) { // image and label; the features modality is outside S and must not count
            expected.addi(model.likelihoods().get(j).logProb(model.decoders().get(j).output(z), batch.tensors().get(j)));
        }
        assertArrayEquals(expected.toDoubleVector(), estimate, 1e-10);
    }

    @Test
    void predictiveIsTheLogMeanOfTheTargetsLikelihoodOverPosteriorSamplesInAnyChunks() {
        MultimodalVae model = ModelFixtures.model(4, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(0, 5, DataType.DOUBLE, ModelFixtures.allObserved());
        SubsetPosterior q = Generation.posterior(model, MOE, batch, List.of("label", "features"));
        INDArray z = q.sample(7, 0, 3);                                                   // [3*B, D]
        double[] lp = model.likelihoods().get(0).logProb(model.decoders().get(0).output(z),
                org.nd4j.linalg.factory.Nd4j.tile(batch.tensors().get(0), 3, 1)).toDoubleVector(); // [3*B]
        int b = batch.size();
        double[] expected = new double[b];
        for (int row = 0; row < b; row++) {
            expected[row] = Math.log((Math.exp(lp[row]) + Math.exp(lp[b + row]) + Math.exp(lp[2 * b + row])) / 3);
        }
        assertArrayEquals(expected, LogLikelihood.predictive(model, MOE, batch, "image", List.of("label", "features"), 3, 3, 7), 1e-9);
        assertArrayEquals(expected, LogLikelihood.predictive(model, MOE, batch, "image", List.of("label", "features"), 3, 2, 7), 1e-9);
    }

    @Test
    void poeEstimateAtLargeKMatchesNumericalIntegration() {
        MultimodalVae model = OneDimensionalModel.model(3, 2.0);
        Batch batch = OneDimensionalModel.batch();
        double[] exact = OneDimensionalModel.integrate(model, batch, 0, 1);
        double[] estimate = LogLikelihood.logMarginal(model, POE, batch, BOTH, 20_000, 4096, 9);
        assertArrayEquals(exact, estimate, 0.01); // 0.01 nats; bias + noise measured below 0.002 at this K
    }

    @Test
    void moeEstimateAtLargeKMatchesNumericalIntegration() {
        MultimodalVae model = OneDimensionalModel.model(5, 0.5);
        Batch batch = OneDimensionalModel.batch();
        double[] exact = OneDimensionalModel.integrate(model, batch, 0, 1);
        double[] estimate = LogLikelihood.logMarginal(model, MOE, batch, BOTH, 20_000, 4096, 11);
        assertArrayEquals(exact, estimate, 0.01); // 0.01 nats; bias + noise measured below 0.004 at this K
    }

    @Test
    void mmvaePlusEstimateAtLargeKMatchesTheIntegralUnderItsLaplacePrior() {
        MultimodalVae model = OneDimensionalModel.model(5, 0.5);
        Batch batch = OneDimensionalModel.batch();
        double[] exact = OneDimensionalModel.integrate(model, batch, true, 0, 1);
        double[] estimate = LogLikelihood.logMarginal(model, PLUS, batch, BOTH, 20_000, 4096, 11);
        assertArrayEquals(exact, estimate, 0.01);
    }

    @Test
    void mmvaePlusSpecificLatentOfAModalityOutsideTheSubsetComesFromTheAuxiliaryPriorWithoutBias() {
        MultimodalVae model = OneDimensionalModel.model(3, 1.0, 1);
        Batch batch = OneDimensionalModel.batch();
        double[] exact = OneDimensionalModel.integratePrivate(model, batch, 0, true);
        double[] estimate = LogLikelihood.logMarginal(model, PLUS, batch, List.of("image"), 20_000, 4096, 9);
        assertArrayEquals(exact, estimate, 0.02);
    }

    @Test
    void privateLatentEstimateAtLargeKMatchesTheIntegralOverSharedAndPrivatePart() {
        MultimodalVae model = OneDimensionalModel.model(3, 2.0, 1);
        Batch batch = OneDimensionalModel.batch();
        double[] exact = OneDimensionalModel.integratePrivate(model, batch, 0);
        double[] estimate = LogLikelihood.logMarginal(model, POE, batch, List.of("image"), 20_000, 4096, 9);
        assertArrayEquals(exact, estimate, 0.02); // measured 0.005; the label's private part is drawn from the prior and cancels
    }

    @Test
    void conditionalAtLargeKMatchesTheRatioOfIntegrals() {
        MultimodalVae model = OneDimensionalModel.model(7, 2.0);
        Batch batch = OneDimensionalModel.batch();
        double[] joint = OneDimensionalModel.integrate(model, batch, 0, 1);
        double[] label = OneDimensionalModel.integrate(model, batch, 1);
        double[] estimate = LogLikelihood.conditional(model, POE, batch, List.of("image"), List.of("label"), 20_000, 4096, 13);
        for (int b = 0; b < joint.length; b++) {
                assertEquals(joint[b] - label[b], estimate[b], 0.01, "row " + b); // measured below 0.002
        }
    }

    @Test
    void chunkSizeDoesNotChangeTheEstimate() {
        MultimodalVae model = ModelFixtures.model(6, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(0, 8, DataType.DOUBLE, ModelFixtures.allObserved());
        double[] whole = LogLikelihood.logMarginal(model, MOE, batch, BOTH, 12, 12, 3);
        assertArrayEquals(whole, LogLikelihood.logMarginal(model, MOE, batch, BOTH, 12, 1, 3), 1e-12);
        assertArrayEquals(whole, LogLikelihood.logMarginal(model, MOE, batch, BOTH, 12, 5, 3), 1e-12);
    }

    @Test
    void rowsThatLackAModalityOfTheSubsetAreRejected() {
        MultimodalVae model = ModelFixtures.model(6, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(0, 8, DataType.DOUBLE, ModelFixtures.someMissing());
        var e = assertThrows(IllegalArgumentException.class,
                () -> LogLikelihood.logMarginal(model, POE, batch, BOTH, 2, 2, 3));
        assertTrue(e.getMessage().startsWith("log-likelihood of image: 2 of 5 rows do not observe it"), e.getMessage());
    }

    @Test
    void zeroSamplesAreRejected() {
        MultimodalVae model = ModelFixtures.model(6, DataType.DOUBLE);
        Batch batch = ModelFixtures.batch(0, 8, DataType.DOUBLE, ModelFixtures.allObserved());
        assertThrows(IllegalArgumentException.class, () -> LogLikelihood.logMarginal(model, POE, batch, BOTH, 0, 1, 3));
    }
}
