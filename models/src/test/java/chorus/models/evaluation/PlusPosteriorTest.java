package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.data.Seeds;
import chorus.models.MathFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.Noise;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** MMVAE+'s posterior over [z | w_1 | w_2]: mixed shared columns, own private part given, auxiliary prior otherwise. */
class PlusPosteriorTest {

    private static final PosteriorRule RULE = new PosteriorRule(Combination.MMVAEPLUS, false, 1.5);

    @Test
    void givenOneModalityTheMeanIsItsLocAndTheOtherPrivatePartZero() {
        List<Gaussian> experts = MathFixtures.experts(3, 2, 4, 3);   // Dz 2 + Dw 1
        INDArray onlyFirst = Nd4j.create(new double[][] {{1, 0}, {1, 0}, {1, 0}, {1, 0}});
        INDArray mean = SubsetPosterior.of(experts, onlyFirst, RULE, 1).mean();            // [4, 2 + 2]
        for (int b = 0; b < 4; b++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(experts.get(0).mu().getDouble(b, c), mean.getDouble(b, c), 1e-12);
            }
            assertEquals(0.0, mean.getDouble(b, 3), 0.0);
        }
    }

    @Test
    void samplesAreLaplaceWithTheAuxiliaryScaleForAPrivatePartNotGiven() {
        List<Gaussian> experts = MathFixtures.experts(4, 2, 3, 3);
        INDArray onlyFirst = Nd4j.create(new double[][] {{1, 0}, {1, 0}, {1, 0}});
        INDArray z = SubsetPosterior.of(experts, onlyFirst, RULE, 1).sample(7, 0, 1);      // [3, 4]
        INDArray eps = Noise.standardLaplace(Seeds.derive(Seeds.derive(7, 0), 0), DataType.DOUBLE, 3, 4);
        for (int b = 0; b < 3; b++) {
            double own = experts.get(0).mu().getDouble(b, 2) + Math.exp(experts.get(0).logvar().getDouble(b, 2)) * eps.getDouble(b, 2);
            assertEquals(own, z.getDouble(b, 2), 1e-12);
            assertEquals(1.5 * eps.getDouble(b, 3), z.getDouble(b, 3), 1e-12);
        }
    }

    @Test
    void laplaceDensityIsRefusedWithAMessage() {
        List<Gaussian> experts = MathFixtures.experts(5, 2, 2, 3);
        SubsetPosterior q = SubsetPosterior.of(experts, MathFixtures.allPresent(2, 2), RULE, 1);
        assertThrows(IllegalStateException.class, () -> q.logDensity(Nd4j.zeros(DataType.DOUBLE, 2, 4)));
    }
}
