package chorus.models.evaluation;

import static chorus.models.MathFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.MultimodalVae;
import chorus.models.posterior.Gaussian;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

class GenerationTest {

    private static final PosteriorRule POE = new PosteriorRule(Combination.POE, true);
    private static final PosteriorRule MOPOE = new PosteriorRule(Combination.MOPOE, false);
    private static final PosteriorRule MOE = new PosteriorRule(Combination.MOE, false);

    private final MultimodalVae model = ModelFixtures.model(2, DataType.DOUBLE);
    private final Batch batch = ModelFixtures.batch(0, 3, DataType.DOUBLE, ModelFixtures.allObserved());

    @Test
    void poeOfOneExpertWithThePriorIsTheAnalyticProduct() {
        Gaussian expert = Generation.encode(model, 1, batch.tensors().get(1));
        INDArray precision = Transforms.exp(expert.logvar().neg()).addi(1.0);             // 1 + 1/var
        Gaussian q = Generation.posterior(model, POE, batch, List.of("label")).product();
        assertClose(expert.mu().mul(Transforms.exp(expert.logvar().neg())).div(precision), q.mu(), 1e-12);
        assertClose(Transforms.log(precision).negi(), q.logvar(), 1e-12);
    }

    @Test
    void mopoeWithoutThePriorGivenOneModalityIsThatExpert() {
        Gaussian expert = Generation.encode(model, 0, batch.tensors().get(0));
        Gaussian q = Generation.posterior(model, MOPOE, batch, List.of("image")).product();
        assertClose(expert.mu(), q.mu(), 1e-12);
        assertClose(expert.logvar(), q.logvar(), 1e-12);
    }

    @Test
    void mixtureSamplesAverageToTheMixtureMean() {
        SubsetPosterior q = Generation.posterior(model, MOE, batch, List.of("image", "label", "features"));
        int k = 4000;
        INDArray z = q.sample(5, 0, k).reshape(k, batch.size() * (long) model.latent());   // [K, B*D]
        INDArray mean = q.mean().reshape(1, batch.size() * (long) model.latent());        // [1, B*D]
        INDArray stderr = z.std(true, 0).divi(Math.sqrt(k));                             // [1, B*D]
        double worst = Transforms.abs(z.mean(true, 0).subi(mean)).divi(stderr).maxNumber().doubleValue();
        assertTrue(worst < 4.5, "largest deviation " + worst + " standard errors"); // 12 entries, 4.5 sigma
    }

    @Test
    void mixtureMeanIsTheAverageOfTheGivenExpertsMeans() {
        INDArray a = Generation.encode(model, 0, batch.tensors().get(0)).mu();
        INDArray b = Generation.encode(model, 2, batch.tensors().get(2)).mu();
        SubsetPosterior q = Generation.posterior(model, MOE, batch, List.of("image", "features"));
        assertClose(a.add(b).divi(2), q.mean(), 1e-12);
    }

    @Test
    void samplesInChunksEqualSamplesAtOnce() {
        SubsetPosterior q = Generation.posterior(model, MOE, batch, List.of("image", "label"));
        INDArray all = q.sample(9, 0, 4);
        int b = batch.size();
        assertEquals(all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * b, 4 * b)), q.sample(9, 2, 4));
    }

    @Test
    void decodedValuesAreTheLikelihoodMeans() {
        INDArray z = Generation.priorLatents(model, POE, 5, 1);
        List<INDArray> x = Generation.decodeAll(model, z);
        assertClose(Transforms.sigmoid(model.decoders().get(0).output(z)), x.get(0), 1e-12); // pixel probabilities
        assertClose(Nd4j.ones(DataType.DOUBLE, 5), x.get(1).sum(1), 1e-12);                  // class probabilities
        assertClose(model.decoders().get(2).output(z), x.get(2), 0);                         // Gaussian location
    }

    @Test
    void priorSamplesAreAFunctionOfTheSeed() {
        assertEquals(Generation.prior(model, POE, 4, 7).get(0), Generation.prior(model, POE, 4, 7).get(0));
        assertNotEquals(Generation.prior(model, POE, 4, 7).get(0), Generation.prior(model, POE, 4, 8).get(0));
    }

    @Test
    void mmvaePlusPriorSamplesAreStandardLaplaceInEveryColumn() {
        PosteriorRule plus = new PosteriorRule(Combination.MMVAEPLUS, false, 3.0); // r(w)'s scale is not p(w)'s
        INDArray z = Generation.priorLatents(model, plus, 20_000, 5);
        assertEquals(1.0, Transforms.abs(z).meanNumber().doubleValue(), 0.02);    // E|z| = 1 (Gaussian: 0.80)
        assertEquals(0.0, z.meanNumber().doubleValue(), 0.02);
    }

    @Test
    void reconstructionDecodesThePosteriorMeanGivenEverything() {
        INDArray mean = Generation.posterior(model, POE, batch, List.of("image", "label", "features")).mean();
        assertClose(Generation.decode(model, 0, mean), Generation.reconstruct(model, POE, batch).get(0), 0);
    }

    @Test
    void aBatchObservingOneModalityConditionsOnItAlone() {
        INDArray label = Nd4j.create(new double[][] {{0, 1, 0}, {0, 0, 1}});
        Batch only = Generation.observing(model, 1, label);
        assertEquals(Nd4j.create(new float[][] {{0, 1, 0}, {0, 1, 0}}), only.presence());
        Gaussian expected = Generation.posterior(model, POE, new Batch(0, only.modalities(), only.tensors(),
                Nd4j.ones(DataType.FLOAT, 2, 3), null), List.of("label")).product();
        assertClose(expected.mu(), Generation.posterior(model, POE, only, List.of("label", "image")).product().mu(), 0);
    }

    @Test
    void aRowObservingNoneOfTheGivenModalitiesIsAnError() {
        Batch missing = ModelFixtures.batch(0, 3, DataType.DOUBLE, ModelFixtures.someMissing()); // row 2 lacks the image
        var e = assertThrows(IllegalArgumentException.class,
                () -> Generation.posterior(model, POE, missing, List.of("image")));
        assertTrue(e.getMessage().contains("row 2 observes none"), e.getMessage());
    }

    @Test
    void anUnknownModalityNamesTheModalitiesThereAre() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Generation.posterior(model, POE, batch, List.of("audio")));
        assertEquals("no modality 'audio' in the model; it has [image, label, features]", e.getMessage());
    }

    /** The fixture model with its latent of 3 split into 2 shared and 1 private dimension (joint latent 2 + 3 x 1). */
    private MultimodalVae privateModel() {
        return new MultimodalVae(model.modalities(), model.encoders(), model.decoders(), model.likelihoods(), 3, 1);
    }

    @Test
    void crossModalPosteriorTakesTheConditionsPrivatePartAndThePriorForTheOthers() {
        MultimodalVae split = privateModel();
        Gaussian label = Generation.encode(split, 1, batch.tensors().get(1));                // [B, 3]
        Gaussian q = Generation.posterior(split, MOPOE, batch, List.of("label")).product();  // [B, 5]
        assertClose(label.mu().get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2)), cols(q.mu(), 0, 2), 1e-12);
        assertClose(label.mu().get(NDArrayIndex.all(), NDArrayIndex.interval(2, 3)), cols(q.mu(), 3, 4), 0);
        assertClose(label.logvar().get(NDArrayIndex.all(), NDArrayIndex.interval(2, 3)), cols(q.logvar(), 3, 4), 0);
        for (int other : new int[] {2, 4}) { // the image's and the features' private parts: N(0, 1)
            assertEquals(0.0, cols(q.mu(), other, other + 1).amaxNumber().doubleValue(), 0.0);
            assertEquals(0.0, cols(q.logvar(), other, other + 1).amaxNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void aDecoderReadsTheSharedPartAndItsOwnPrivatePart() {
        MultimodalVae split = privateModel();
        INDArray z = Generation.priorLatents(split, POE, 6, 4);                                    // [6, 5]
        assertEquals(5, z.size(1));
        INDArray own = Nd4j.hstack(cols(z, 0, 2), cols(z, 3, 4));                             // label: shared, then slot 1
        assertClose(split.likelihoods().get(1).mean(split.decoders().get(1).output(own)), Generation.decode(split, 1, z), 0);
    }

    @Test
    void pointsOfAnotherWidthAreRejected() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Generation.decode(privateModel(), 0, Generation.priorLatents(model, POE, 2, 1)));
        assertTrue(e.getMessage().contains("expected [R, 5]"), e.getMessage());
    }

    private static INDArray cols(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(from, to)).dup();
    }
}
