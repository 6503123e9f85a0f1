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
}
