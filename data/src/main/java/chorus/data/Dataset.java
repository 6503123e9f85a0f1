package chorus.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One split of a dataset held in memory: a float tensor {@code [N, size]} per modality (images in
 * [0, 1], categorical values one-hot; an image modality may instead be held as UINT8 bytes 0..255, see
 * {@link ByteImages}, and reads as bytes / 255 in batches and {@link #data}), the class of each row ({@code labels}, or null when the
 * dataset has none) and the presence mask {@code [N, M]} (1 where the row observes that modality).
 *
 * <p>Immutable by contract: no method changes it, and callers must not mutate the arrays the
 * accessors return (they are shared, not copied, to keep 60,000 images in memory once).
 * {@code source} says where the files were found, for the CLI to print.
 */
public final class Dataset {

    private final String name;
    private final String split;
    private final String source;
    private final List<Modality> modalities;
    private final List<INDArray> data;
    private final int[] labels;
    private final INDArray presence;

    /**
     * Validates that every tensor is {@code [N, size]} FLOAT (or UINT8 for an image modality) and the
     * presence mask {@code [N, M]} of 0/1.
     */
    public Dataset(String name, String split, String source, List<Modality> modalities, List<INDArray> data,
                   int[] labels, INDArray presence) {
        this.name = Objects.requireNonNull(name, "dataset name");
        this.split = Objects.requireNonNull(split, "split");
        this.source = Objects.requireNonNull(source, "source");
        this.modalities = List.copyOf(modalities);
        this.data = List.copyOf(data);
        if (this.data.size() != this.modalities.size()) {
            throw new IllegalArgumentException(where() + ": " + this.data.size() + " tensors for "
                    + this.modalities.size() + " modalities, expected one per modality");
        }
        long n = this.data.isEmpty() ? 0 : this.data.get(0).size(0);
        for (int i = 0; i < this.data.size(); i++) {
            INDArray t = this.data.get(i);
            Modality m = this.modalities.get(i);
            boolean bytes = t.dataType() == DataType.UINT8 && m.kind() == Modality.Kind.IMAGE;
            if (t.rank() != 2 || t.size(0) != n || t.size(1) != m.size() || t.dataType() != DataType.FLOAT && !bytes) {
                throw new IllegalArgumentException(where() + ": tensor of modality '" + m.name() + "' is "
                        + t.dataType() + " " + Arrays.toString(t.shape()) + ", expected "
                        + (m.kind() == Modality.Kind.IMAGE ? "FLOAT or " + DataType.UINT8 : "FLOAT") + " [" + n + ", "
                        + m.size() + "]");
            }
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException(where() + ": " + labels.length + " labels for " + n + " rows");
        }
        this.labels = labels == null ? null : labels.clone();
        this.presence = checkPresence(presence, n);
    }

    /** A dataset whose rows observe every modality. */
    public static Dataset fullyObserved(String name, String split, String source, List<Modality> modalities,
                                        List<INDArray> data, int[] labels) {
        long n = data.isEmpty() ? 0 : data.get(0).size(0);
        INDArray presence = Nd4j.ones(DataType.FLOAT, n, modalities.size()); // [N, M]
        return new Dataset(name, split, source, modalities, data, labels, presence);
    }

    /** The same data with another presence mask {@code [N, M]}; the tensors are shared, not copied. */
    public Dataset withPresence(INDArray presence) {
        return new Dataset(name, split, source, modalities, data, labels, presence);
    }

    public String name() {
        return name;
    }

    public String split() {
        return split;
    }

    /** Where the files were found (a directory, archive or URL), for the CLI to print. */
    public String source() {
        return source;
    }

    public List<Modality> modalities() {
        return modalities;
    }

    /** Number of rows N. */
    public int size() {
        return (int) presence.size(0);
    }

    /** The index of the named modality, or an error naming the modalities there are. */
    public int indexOf(String modality) {
        return Modality.indexOf(modalities, modality, where());
    }

    /**
     * The float tensor {@code [N, size]} of modality {@code index}, including values of rows that lack it.
     * A FLOAT modality's tensor is shared; a UINT8 one is converted (bytes / 255) into a new array four times
     * its size on every call, so whole-split readers of large image sets should batch instead.
     */
    public INDArray data(int index) {
        INDArray t = data.get(index);
        return t.dataType() == DataType.UINT8 ? ByteImages.unitFloats(t) : t;
    }

    /** The tensor of modality {@code index} as held (FLOAT or UINT8), shared: for building derived datasets. */
    public INDArray storedTensor(int index) {
        return data.get(index);
    }

    /** The type modality {@code index} is held as: FLOAT, or UINT8 for images stored as bytes. */
    public DataType storedType(int index) {
        return data.get(index).dataType();
    }

    /** The class of each row, or null when the dataset has no labels. */
    public int[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** The presence mask {@code [N, M]}: 1 where the row observes the modality. */
    public INDArray presence() {
        return presence;
    }

    /**
     * The rows {@code rows} as a batch for step {@code step}: copies of the tensors {@code [B, size]}
     * with the values of absent modalities set to zero, and their presence {@code [B, M]}.
     */
    public Batch batch(long step, int[] rows) {
        INDArray mask = Nd4j.pullRows(presence, 1, rows); // [B, M], a copy
        List<INDArray> tensors = new ArrayList<>(data.size());
        for (int m = 0; m < data.size(); m++) {
            INDArray stored = data.get(m);
            INDArray t = stored.dataType() == DataType.UINT8
                    ? ByteImages.unitRows(stored, rows) // [B, size], bytes / 255
                    : Nd4j.pullRows(stored, 1, rows); // [B, size], a copy
            t.muliColumnVector(mask.getColumn(m, true)); // [B, size] * [B, 1]
            tensors.add(t);
        }
        return new Batch(step, modalities, tensors, mask, rows.clone());
    }

    /**
     * {@code rows} cut into batches of {@code batchSize} in the order given, the last one partial: batch i
     * holds {@code rows[i * batchSize ...]} and is step i. Each batch is made when the iteration reaches it,
     * so evaluating a large split never holds more than one batch of floats.
     */
    public Iterable<Batch> batches(int[] rows, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(where() + ": batch size " + batchSize + ", expected at least 1");
        }
        int[] order = rows.clone();
        int count = (order.length + batchSize - 1) / batchSize;
        return () -> IntStream.range(0, count).mapToObj(i -> batch(i, Arrays.copyOfRange(order, i * batchSize,
                Math.min(order.length, (i + 1) * batchSize)))).iterator();
    }

    /** Rows 0 .. n-1 in order: the first {@code limit} rows, or every row when {@code limit <= 0} or beyond the size. */
    public int[] firstRows(int limit) {
        return IntStream.range(0, limit <= 0 ? size() : Math.min(limit, size())).toArray();
    }

    @Override
    public String toString() {
        return where() + " (" + size() + " rows, " + modalities + ", from " + source + ")";
    }

    private String where() {
        return name + "/" + split;
    }

    private INDArray checkPresence(INDArray mask, long n) {
        Objects.requireNonNull(mask, "presence mask");
        if (mask.rank() != 2 || mask.size(0) != n || mask.size(1) != modalities.size()) {
            throw new IllegalArgumentException(where() + ": presence mask " + Arrays.toString(mask.shape())
                    + ", expected [" + n + ", " + modalities.size() + "]");
        }
        INDArray asFloat = mask.castTo(DataType.FLOAT);
        INDArray offBinary = asFloat.mul(asFloat.rsub(1f)).neq(0); // [N, M], x (1 - x) != 0 unless x is 0 or 1
        long other = offBinary.castTo(DataType.FLOAT).sumNumber().longValue();
        if (other != 0) {
            throw new IllegalArgumentException(where() + ": presence mask has " + other
                    + " values other than 0 and 1, expected only 0 (absent) and 1 (observed)");
        }
        return asFloat;
    }
}
