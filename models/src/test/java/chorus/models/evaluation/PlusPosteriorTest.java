package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void densityMixesTheSharedColumnsAndTakesEachPrivatePartFromItsExpertOrTheAuxiliaryPrior() {
        List<Gaussian> experts = MathFixtures.experts(5, 2, 2, 3);                          // Dz 2 + Dw 1
        INDArray presence = Nd4j.create(new double[][] {{1, 1}, {1, 0}});
        INDArray z = MathFixtures.normal(6, 2, 4, 1.0);                                     // [z0 z1 | w1 | w2]
        double[] got = SubsetPosterior.of(experts, presence, RULE, 1).logDensity(z).toDoubleVector();
        for (int b = 0; b < 2; b++) {
            double[] shared = new double[2];
            for (int m = 0; m < 2; m++) {
                shared[m] = laplace(z, b, 0, experts.get(m), 0) + laplace(z, b, 1, experts.get(m), 1);
            }
            double mixture = b == 0 ? Math.log(0.5 * (Math.exp(shared[0]) + Math.exp(shared[1]))) : shared[0];
            double w1 = laplace(z, b, 2, experts.get(0), 2);
            double w2 = b == 0 ? laplace(z, b, 3, experts.get(1), 2)
                    : -Math.log(2) - Math.log(1.5) - Math.abs(z.getDouble(b, 3)) / 1.5;   // r(w2) = Laplace(0, 1.5)
            assertEquals(mixture + w1 + w2, got[b], 1e-12, "row " + b);
        }
    }

    /** log Laplace(z[b, col]; loc, exp(s)) with (loc, s) the expert's column {@code c}, written out. */
    private static double laplace(INDArray z, int b, int col, Gaussian expert, int c) {
        double loc = expert.mu().getDouble(b, c);
        double s = expert.logvar().getDouble(b, c);
        return -Math.log(2) - s - Math.abs(z.getDouble(b, col) - loc) / Math.exp(s);
    }
}
