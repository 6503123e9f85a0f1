package chorus.models.posterior;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@link ProductOfExperts#combine} + {@link ProductOfExperts#backward} at CelebA-19 scale: M = 19
 * experts, T = 1 + 19 + 5 subsets (MVAE: all, singles, k = 5 random), B = 100, D = 100, FLOAT, with
 * about a tenth of the experts missing. Prints the median of 50 runs after 20 warm-up runs.
 * Not a test (Surefire skips it); run with OMP_NUM_THREADS=1 for a single-core figure.
 */
public final class CombineBenchmark {

    static final int M = 19, K = 5, B = 100, D = 100, WARMUP = 20, RUNS = 50;

    private CombineBenchmark() {
    }

    public static void main(String[] args) {
        System.out.printf("combine+backward M=%d T=%d B=%d D=%d float: median %.3f ms over %d runs%n",
                M, 1 + M + K, B, D, medianMillis(), RUNS);
    }

    static double medianMillis() {
        List<Gaussian> experts = new ArrayList<>();
        for (int m = 0; m < M; m++) {
            experts.add(new Gaussian(Noise.standardNormal(m, DataType.FLOAT, B, D),
                    Noise.standardNormal(100 + m, DataType.FLOAT, B, D).muli(0.5)));
        }
        INDArray presence = Noise.standardNormal(7, DataType.FLOAT, B, M).gt(-1.3).castTo(DataType.FLOAT); // ~90% present
        INDArray subsets = Subsets.stack(Subsets.all(M), Subsets.singles(M), Subsets.random(K, M, 1));
        GaussianGrad upstream = new GaussianGrad(Noise.standardNormal(8, DataType.FLOAT, (1 + M + K) * B, D),
                Noise.standardNormal(9, DataType.FLOAT, (1 + M + K) * B, D));
        double[] millis = new double[RUNS];
        double sink = 0;
        for (int run = -WARMUP; run < RUNS; run++) {
            long start = System.nanoTime();
            ProductOfExperts poe = ProductOfExperts.combine(experts, presence, subsets, true);
            List<GaussianGrad> grads = poe.backward(upstream);
            sink += grads.get(M - 1).dMu().getDouble(0, 0);
            if (run >= 0) {
                millis[run] = (System.nanoTime() - start) / 1e6;
            }
        }
        if (Double.isNaN(sink)) {
            throw new IllegalStateException("benchmark produced NaN");
        }
        Arrays.sort(millis);
        return (millis[RUNS / 2 - 1] + millis[RUNS / 2]) / 2;
    }
}
