package chorus.actors;

import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.WorkerProtocol;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.poe.ElboObjective;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.time.Duration;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Tiny fixtures for the actors' protocol tests: {@link ModelFixtures}' three modalities in double
 * precision, hand-made worker replies of the right shapes, and how long "no message" is waited for.
 */
public final class ActorFixtures {

    public static final DataType DTYPE = DataType.DOUBLE;
    public static final List<String> NAMES = List.of("image", "label", "features");
    public static final double[] LAMBDAS = {1.0, 2.0, 0.5};
    public static final int B = 4;
    public static final double BETA = 0.7;
    /** How long a test waits to see that a message does NOT arrive. */
    public static final Duration QUIET = Duration.ofMillis(200);

    private ActorFixtures() {
    }

    /** MVAE with {@code randomSubsets} random subsets per step. */
    public static ElboObjective mvae(int randomSubsets) {
        return ElboObjective.mvae(ModelFixtures.MODALITIES, randomSubsets, LAMBDAS, 41);
    }

    /** A double batch of step {@code step} with the given presence mask {@code [rows, 3]}. */
    public static Batch batch(long step, double[][] presence) {
        return ModelFixtures.batch(step, 3, DTYPE, presence);
    }

    /** Three rows, none of which observes the label. */
    public static double[][] noLabel() {
        return new double[][] {{1, 0, 1}, {1, 0, 0}, {0, 0, 1}};
    }

    /** A finite expert {@code [rows, LATENT]} (mu 0.1 * (row + 1), logvar -0.2). */
    public static Gaussian expert(int rows) {
        double[][] values = new double[rows][ModelFixtures.LATENT];
        for (int i = 0; i < rows; i++) {
            java.util.Arrays.fill(values[i], 0.1 * (i + 1));
        }
        INDArray mu = Nd4j.createFromArray(values).castTo(DTYPE);                      // [rows, D]
        return new Gaussian(mu, Nd4j.valueArrayOf(new long[] {rows, ModelFixtures.LATENT}, -0.2, DTYPE));
    }

    /** dL/d(mu, logvar) {@code [rows, LATENT]}, every entry 0.5. */
    public static GaussianGrad expertGrad(int rows) {
        INDArray half = Nd4j.valueArrayOf(new long[] {rows, ModelFixtures.LATENT}, 0.5, DTYPE);
        return new GaussianGrad(half, half.dup());
    }

    /** A stand-in parameter gradient {@code [1, 2]}. */
    public static INDArray grad() {
        return Nd4j.ones(DTYPE, 1, 2);
    }

    /** A decoder's one-message answer to {@code d}: log p = -1 per row, dL/dz = 0, a stand-in gradient. */
    public static WorkerProtocol.Decoded decoded(DecoderWorker.Decode d) {
        int r = d.request().rows();
        return new WorkerProtocol.Decoded(d.step(), d.attempt(), d.request().modality(),
                Nd4j.valueArrayOf(new long[] {r}, -1.0, DTYPE), Nd4j.zeros(DTYPE, r, ModelFixtures.LATENT), grad());
    }
}
