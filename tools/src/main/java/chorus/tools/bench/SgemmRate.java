package chorus.tools.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What this machine's float matrix product achieves, as the yardstick for a training step's GFLOP/s:
 * {@code C = A B} with square n x n float matrices through {@link Nd4j#gemm} into a preallocated C
 * (2 n^3 FLOPs each). "All cores" is {@code threads} Java threads each running its own gemm at the same
 * time, as the actor pipeline runs one op per worker; with {@code OMP_NUM_THREADS=1} (the launcher's
 * setting) every gemm is single-threaded, so this is the machine's aggregate rate under that setting.
 */
public final class SgemmRate {

    private SgemmRate() {
    }

    /**
     * GFLOP/s of {@code threads} concurrent n x n x n float gemms: after {@code warmup} unmeasured rounds,
     * the median over {@code rounds} rounds of {@code threads * 2 n^3 / (slowest thread's time)}, every
     * round starting all threads together.
     */
    public static double gflops(int n, int threads, int warmup, int rounds) {
        if (n < 1 || threads < 1 || warmup < 0 || rounds < 1) {
            throw new IllegalArgumentException("sgemm rate of n=" + n + ", " + threads + " threads, " + warmup
                    + " warm-up and " + rounds + " rounds: expected n, threads, rounds >= 1 and warm-up >= 0");
        }
        int total = warmup + rounds;
        long[][] nanos = new long[threads][total];
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        RuntimeException[] failure = new RuntimeException[1];
        for (int t = 0; t < threads; t++) {
            long[] mine = nanos[t];
            Thread w = new Thread(() -> {
                try {
                    run(n, start, mine);
                } catch (RuntimeException e) {
                    synchronized (failure) {
                        if (failure[0] == null) { // the first failure, not the others' broken barriers
                            failure[0] = e;
                        }
                    }
                    start.reset(); // release the others
                }
            }, "sgemm-" + t);
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while measuring sgemm", e);
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        double[] rates = new double[rounds];
        double flops = 2.0 * n * n * n * threads;
        for (int r = 0; r < rounds; r++) {
            long slowest = 0;
            for (long[] t : nanos) {
                slowest = Math.max(slowest, t[warmup + r]);
            }
            rates[r] = flops / Math.max(1, slowest); // FLOP per ns = GFLOP/s
        }
        Arrays.sort(rates);
        return rounds % 2 == 1 ? rates[rounds / 2] : (rates[rounds / 2 - 1] + rates[rounds / 2]) / 2;
    }

    /** One thread's rounds: its own matrices, each round timed after all threads reach the barrier. */
    private static void run(int n, CyclicBarrier start, long[] nanos) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int r = 0; r < nanos.length; r++) {
            await(start);
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            nanos[r] = System.nanoTime() - t0;
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring sgemm", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("another sgemm thread failed", e);
        }
    }
}
