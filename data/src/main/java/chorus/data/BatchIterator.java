package chorus.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Cuts a {@link Dataset} into {@link Batch}es, epoch after epoch without end. Each epoch visits the
 * rows in a permutation drawn from {@link Seeds#derive}{@code (seed, epoch)}, so any epoch can be
 * rebuilt from the seed alone; a {@link Cursor} read with {@link #cursor()} and passed back to the
 * constructor resumes exactly where the iterator was. The step of a batch is
 * {@code epoch * batchesPerEpoch + batch index within the epoch}.
 *
 * <p>An {@code input} conversion, when given, turns each batch into what the model reads (a model over
 * concatenated modalities reads one joint modality); rows, steps and the cursor are those of the dataset.
 */
public final class BatchIterator {

    /** A position: the next batch starts at {@code position} of epoch {@code epoch}'s row order. */
    public record Cursor(long epoch, int position) {

        /** The first batch of the first epoch. */
        public static final Cursor START = new Cursor(0, 0);

        public Cursor {
            if (epoch < 0 || position < 0) {
                throw new IllegalArgumentException("data cursor (epoch " + epoch + ", position " + position
                        + "), expected both non-negative");
            }
        }
    }

    private final Dataset data;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int batchesPerEpoch;
    private final UnaryOperator<Batch> input;
    private long epoch;
    private int position;
    private int[] order;

    /**
     * Batches of {@code batchSize} rows of {@code data}, shuffled per epoch with {@code seed},
     * starting at {@code start}; with {@code dropLast} a final partial batch is skipped.
     */
    public BatchIterator(Dataset data, int batchSize, long seed, boolean dropLast, Cursor start) {
        this(data, batchSize, seed, true, dropLast, start, UnaryOperator.identity());
    }

    /** The same, each batch passed through {@code input} before it is handed out. */
    public BatchIterator(Dataset data, int batchSize, long seed, boolean dropLast, Cursor start, UnaryOperator<Batch> input) {
        this(data, batchSize, seed, true, dropLast, start, input);
    }

    private BatchIterator(Dataset data, int batchSize, long seed, boolean shuffle, boolean dropLast, Cursor start,
                          UnaryOperator<Batch> input) {
        this.data = Objects.requireNonNull(data, "dataset");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size " + batchSize + ", expected at least 1");
        }
        int n = data.size();
        this.batchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        if (batchesPerEpoch == 0) {
            throw new IllegalArgumentException(data.name() + "/" + data.split() + ": " + n + " rows give no batch of "
                    + batchSize + (dropLast ? " (the partial batch is dropped)" : "") + ", expected at least one");
        }
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.input = Objects.requireNonNull(input, "batch input conversion");
        seek(start);
    }

    /**
     * Moves to {@code at}, a cursor this iterator (or one over the same dataset, batch size and seed) handed
     * out: the next batch is the one that followed it (a coordinator redoing steps after a lost worker node).
     */
    public void seek(Cursor at) {
        if (at.position() % batchSize != 0 || at.position() / batchSize >= batchesPerEpoch) {
            throw new IllegalArgumentException("data cursor position " + at.position() + ", expected a multiple of "
                    + batchSize + " below " + (long) batchesPerEpoch * batchSize);
        }
        if (at.epoch() != epoch) {
            order = null; // another epoch's permutation
        }
        epoch = at.epoch();
        position = at.position();
    }

    /** Training batches: shuffled with {@code seed}, the last partial batch of an epoch dropped, from the start. */
    public static BatchIterator training(Dataset data, int batchSize, long seed) {
        return new BatchIterator(data, batchSize, seed, true, Cursor.START);
    }

    /** Training batches as above, each passed through {@code input}. */
    public static BatchIterator training(Dataset data, int batchSize, long seed, UnaryOperator<Batch> input) {
        return new BatchIterator(data, batchSize, seed, true, Cursor.START, input);
    }

    /** Evaluation batches: rows in dataset order, the last partial batch kept, from the start. */
    public static BatchIterator inOrder(Dataset data, int batchSize) {
        return new BatchIterator(data, batchSize, 0, false, false, Cursor.START, UnaryOperator.identity());
    }

    /** The next batch; after the last batch of an epoch comes the first of the next. */
    public Batch next() {
        if (order == null) {
            order = shuffle ? Seeds.permutation(data.size(), Seeds.derive(seed, epoch)) : identity(data.size());
        }
        int end = Math.min(position + batchSize, data.size());
        int[] rows = Arrays.copyOfRange(order, position, end);
        Batch batch = input.apply(data.batch(step(), rows));
        position = end;
        if (position / batchSize >= batchesPerEpoch || position == data.size()) {
            epoch++;
            position = 0;
            order = shuffle ? null : order;
        }
        return batch;
    }

    /** Where the next batch starts; restoring it with the same dataset, batch size and seed resumes exactly. */
    public Cursor cursor() {
        return new Cursor(epoch, position);
    }

    /** The step number of the next batch. */
    public long step() {
        return epoch * batchesPerEpoch + position / batchSize;
    }

    /** Batches in one epoch. */
    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    /** Whether a final partial batch is skipped. */
    public boolean dropsLast() {
        return dropLast;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        return order;
    }
}
