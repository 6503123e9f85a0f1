package chorus.models.likelihood;

import static chorus.models.MathFixtures.assertClose;
import static chorus.models.MathFixtures.normal;
import static chorus.models.MathFixtures.vector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.LikelihoodKind;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class LikelihoodsTest {

    @Test
    void factoryBuildsEachKindWithItsScale() {
        assertEquals(new Bernoulli(), Likelihoods.of(LikelihoodKind.BERNOULLI, 0.1));
        assertEquals(new Categorical(), Likelihoods.of(LikelihoodKind.CATEGORICAL, 0.1));
        assertEquals(new FixedScaleGaussian(0.1), Likelihoods.of(LikelihoodKind.GAUSSIAN, 0.1));
        assertEquals(new Laplace(0.1), Likelihoods.of(LikelihoodKind.LAPLACE, 0.1));
    }

    @Test
    void rejectsANonPositiveScale() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Likelihoods.of(LikelihoodKind.LAPLACE, 0.0));
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains("0.0"), e.getMessage());
    }

    @Test
    void rejectsParamsThatDoNotMatchTheData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Bernoulli().logProb(normal(1, 3, 5, 1), normal(2, 3, 4, 1)));
        assertTrue(e.getMessage().contains("likelihood params") && e.getMessage().contains("[3, 5]")
                && e.getMessage().contains("[3, 4]"), e.getMessage());
    }

    @Test
    void rejectsNaNInTheData() {
        INDArray x = normal(3, 2, 2, 1);
        x.putScalar(0, 1, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FixedScaleGaussian(1.0).logProb(normal(4, 2, 2, 1), x));
        assertTrue(e.getMessage().contains("data x") && e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void rejectsUpstreamGradientOfWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Laplace(1.0).backward(normal(5, 3, 2, 1), normal(6, 3, 2, 1), vector(1, 2)));
        assertTrue(e.getMessage().contains("dLogProb") && e.getMessage().contains("[3]"), e.getMessage());
    }
}
