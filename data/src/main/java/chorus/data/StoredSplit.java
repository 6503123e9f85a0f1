package chorus.data;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What one split of a dataset holds in memory once loaded, known without loading it
 * ({@link Datasets#stored}): its rows and the type each modality is stored as (FLOAT, or UINT8 for images
 * held as {@link ByteImages}). For sizing the JVM before the data is read.
 *
 * @param rows       rows N of the split
 * @param modalities the dataset's modalities, in tensor order
 * @param types      the stored type of each modality's {@code [N, size]} tensor
 */
public record StoredSplit(int rows, List<Modality> modalities, List<DataType> types) {

    public StoredSplit {
        modalities = List.copyOf(modalities);
        types = List.copyOf(types);
        if (rows < 0 || modalities.size() != types.size()) {
            throw new IllegalArgumentException(rows + " rows and " + types.size() + " types for " + modalities.size()
                    + " modalities, expected rows >= 0 and one type per modality");
        }
    }

    /** Every modality stored as FLOAT. */
    static StoredSplit floats(int rows, List<Modality> modalities) {
        return new StoredSplit(rows, modalities, modalities.stream().map(m -> DataType.FLOAT).toList());
    }

    /** Bytes of the split's tensors and its FLOAT presence mask {@code [N, M]} (the labels, on the Java heap, not counted). */
    public long bytes() {
        long perRow = 4L * modalities.size(); // presence
        for (int m = 0; m < modalities.size(); m++) {
            perRow += (long) modalities.get(m).size() * types.get(m).width();
        }
        return rows * perRow;
    }
}
