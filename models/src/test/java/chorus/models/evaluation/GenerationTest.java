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
        INDArray z = Generation.priorLatents(model, 5, 1);
        List<INDArray> x = Generation.decodeAll(model, z);
        assertClose(Transforms.sigmoid(model.decoders().get(0).output(z)), x.get(0), 1e-12); // pixel probabilities
        assertClose(Nd4j.ones(DataType.DOUBLE, 5), x.get(1).sum(1), 1e-12);                  // class probabilities
        assertClose(model.decoders().get(2).output(z), x.get(2), 0);                         // Gaussian location
    }

    @Test
    void priorSamplesAreAFunctionOfTheSeed() {
        assertEquals(Generation.prior(model, 4, 7).get(0), Generation.prior(model, 4, 7).get(0));
        assertNotEquals(Generation.prior(model, 4, 7).get(0), Generation.prior(model, 4, 8).get(0));
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
}
