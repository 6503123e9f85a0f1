package chorus.models.posterior;

import chorus.models.check.Checks;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded standard-normal noise for reparameterised sampling. It is drawn in Java from a
 * {@link SplittableRandom} (not from ND4J's global generator), so the same seed gives the same eps on
 * every backend, thread and process: the reference model and the actor system sample identical z.
 */
public final class Noise {

    private Noise() {
    }

    /** eps ~ N(0, I) of shape {@code [rows, cols]} and type {@code dtype}, a function of {@code seed} alone. */
    public static INDArray standardNormal(long seed, DataType dtype, int rows, int cols) {
        Checks.positive("noise rows", rows);
        Checks.positive("noise cols", cols);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return Nd4j.create(values, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype); // [rows, cols]
    }

    /**
     * eps ~ Laplace(0, 1) of shape {@code [rows, cols]}, a function of {@code seed} alone: the inverse CDF
     * -sign(u) log(1 - 2|u|) of u uniform in (-1/2, 1/2), drawn like {@link #standardNormal}.
     */
    public static INDArray standardLaplace(long seed, DataType dtype, int rows, int cols) {
        Checks.positive("noise rows", rows);
        Checks.positive("noise cols", cols);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < values.length; i++) {
            double u = random.nextDouble() - 0.5;          // [-1/2, 1/2)
            values[i] = -Math.signum(u) * Math.log1p(-2.0 * Math.abs(u) * (1 - 1e-16)); // finite at u = -1/2
        }
        return Nd4j.create(values, new long[] {rows, cols}, DataType.DOUBLE).castTo(dtype); // [rows, cols]
    }
}
