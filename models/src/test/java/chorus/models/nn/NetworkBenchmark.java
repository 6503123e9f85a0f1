package chorus.models.nn;

import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.arch.MlpNetworks;
import java.util.Arrays;
import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times the reference encoders at batch 100, latent 64, float: forward+backward, and
 * forward+backward+Adam, as the median of 30 runs after 10 warm-up runs. Not a test (Surefire
 * skips it by name); run with {@code OMP_NUM_THREADS=1}:
 * {@code java -cp <classpath> chorus.models.nn.NetworkBenchmark}.
 */
public final class NetworkBenchmark {

    private static final int BATCH = 100;
    private static final int LATENT = 64;
    private static final int WARMUP = 10;
    private static final int RUNS = 30;

    private NetworkBenchmark() {
    }

    public static void main(String[] args) {
        NetworkOptions options = NetworkOptions.of(1);
        report("conv encoder 1x28x28 [64,128,512]",
                ConvNetworks.encoder(1, 28, 28, ConvNetworks.MVAE_HIDDEN, LATENT, options));
        report("mlp encoder 784-512-512", MlpNetworks.encoder(784, MlpNetworks.MVAE_HIDDEN, LATENT, options));
        report("conv decoder [64,128,512] -> 1x28x28",
                ConvNetworks.decoder(LATENT, ConvNetworks.MVAE_HIDDEN, 1, 28, 28, options));
        report("mlp decoder 512-512-784", MlpNetworks.decoder(LATENT, MlpNetworks.MVAE_HIDDEN, 784, options));
    }

    private static void report(String name, Network net) {
        INDArray x = Nd4j.rand(DataType.FLOAT, BATCH, net.inputSize()); // [B, in]
        INDArray dOut = Nd4j.rand(DataType.FLOAT, BATCH, net.outputSize()).subi(0.5).divi(BATCH); // [B, out]
        double fb = medianMillis(n -> {
            n.forward(x);
            n.backward(dOut);
        }, net);
        int[] iteration = {0};
        double step = medianMillis(n -> {
            n.forward(x);
            n.applyGradient(n.backward(dOut).params(), iteration[0]++, 0);
        }, net);
        System.out.printf("%-40s %9d params  forward+backward %7.1f ms  +Adam %7.1f ms  (median of %d, batch %d)%n",
                name, net.numParams(), fb, step, RUNS, BATCH);
    }

    private static double medianMillis(Consumer<Network> body, Network net) {
        for (int i = 0; i < WARMUP; i++) {
            body.accept(net);
        }
        double[] ms = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            body.accept(net);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return (ms[RUNS / 2 - 1] + ms[RUNS / 2]) / 2;
    }
}
