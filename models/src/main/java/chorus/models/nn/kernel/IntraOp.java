package chorus.models.nn.kernel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Intra-op parallelism for the {@link Kernel}s: each layer's rows are cut into one contiguous chunk
 * per thread, chunk 0 runs on the calling thread (an actor's dispatcher thread) and the others on
 * this pool, every libnd4j call staying single-threaded. Chunks are fixed by the row count alone and
 * the partial parameter gradients are added in chunk order, so a step's result does not depend on
 * timing; it differs from one thread's only by float rounding in those sums.
 *
 * <p>Java threads instead of OpenMP ones because OpenMP's spin-waiting threads made a busy 2-core
 * machine slower, not faster (measured in the MVAE conv kernels: 3-7x slower with two OpenMP
 * threads while another process ran). Close the pool when its networks are done.
 */
public final class IntraOp implements AutoCloseable {

    /** The work of one chunk: rows {@code [from, to)} of the layer's batch, chunk number {@code chunk}. */
    @FunctionalInterface
    interface Chunk {
        void run(int chunk, long from, long to);
    }

    /**
     * Multiply-adds below which a chunk is not worth a hand-off to another thread (~0.1 ms of one core's
     * gemm here; a hand-off and join cost tens of microseconds). Small layers, e.g. a label's
     * embedding networks, so stay on the caller whatever the thread count.
     */
    public static final long MIN_CHUNK_WORK = 4_000_000;

    /** One thread: every chunk on the caller; no pool. */
    public static final IntraOp SINGLE = new IntraOp(1, MIN_CHUNK_WORK);

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final long minChunkWork;
    private final ExecutorService pool; // threads - 1 workers; null for one thread

    private IntraOp(int threads, long minChunkWork) {
        this.threads = threads;
        this.minChunkWork = minChunkWork;
        if (threads == 1) {
            this.pool = null;
        } else {
            int id = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "chorus-intra-op-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** A pool running each layer on {@code threads} threads (1: {@link #SINGLE}). */
    public static IntraOp of(int threads) {
        return of(threads, MIN_CHUNK_WORK);
    }

    /** As {@link #of(int)}, splitting layers down to chunks of {@code minChunkWork} multiply-adds (0: every layer). */
    public static IntraOp of(int threads, long minChunkWork) {
        if (threads < 1) {
            throw new IllegalArgumentException("intra-op threads " + threads + ", expected >= 1");
        }
        return threads == 1 ? SINGLE : new IntraOp(threads, minChunkWork);
    }

    /** Threads per layer. */
    public int threads() {
        return threads;
    }

    /** How many chunks {@code rows} rows holding {@code work} multiply-adds in all are cut into. */
    int chunks(long rows, long work) {
        long worthwhile = minChunkWork == 0 ? Long.MAX_VALUE : work / minChunkWork;
        return (int) Math.max(1, Math.min(Math.min(threads, rows), worthwhile));
    }

    /**
     * Runs {@code body} once per chunk of {@code rows} (see {@link #chunks}), in parallel, and returns
     * when all are done; the first failure is rethrown after every chunk has ended. Chunks are claimed
     * from a shared counter by the caller and by the pool's threads alike, so a caller whose helpers
     * are busy with another worker's layer runs the remaining chunks itself instead of waiting.
     */
    void forEach(long rows, long work, Chunk body) {
        int n = chunks(rows, work);
        if (n == 1) {
            body.run(0, 0, rows);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable claim = () -> {
            for (int c = next.getAndIncrement(); c < n; c = next.getAndIncrement()) {
                try {
                    body.run(c, from(rows, n, c), from(rows, n, c + 1));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }
        };
        for (int helper = 1; helper < n; helper++) {
            pool.execute(claim);
        }
        claim.run();
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a layer's chunks ran", e);
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** First row of chunk {@code c} of {@code n}: the rows split as evenly as integers allow. */
    static long from(long rows, int n, int c) {
        return rows * c / n;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return "IntraOp[" + threads + " threads]";
    }
}
