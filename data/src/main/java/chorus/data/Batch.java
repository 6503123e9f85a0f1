package chorus.data;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One minibatch: a tensor per modality (in the order of {@code modalities}), each
 * {@code [batch, size]} flattened (an image row is channels*height*width values), and the per-row
 * presence mask {@code [batch, modalities]} with 1 where the row observes that modality and 0 where it
 * does not. The values of an absent modality are zeros and must never be read.
 *
 * <p>{@code step} is the global step this batch is planned for; {@code rows} are the dataset indices
 * of the rows (for evaluation and the data cursor).
 */
public record Batch(long step, List<Modality> modalities, List<INDArray> tensors, INDArray presence, int[] rows) {

    public Batch {
        modalities = List.copyOf(modalities);
        tensors = List.copyOf(tensors);
        if (tensors.size() != modalities.size()) {
            throw new IllegalArgumentException("batch: " + tensors.size() + " tensors for "
                    + modalities.size() + " modalities, expected one tensor per modality");
        }
        long n = presence.size(0);
        if (presence.rank() != 2 || presence.size(1) != modalities.size()) {
            throw new IllegalArgumentException("batch presence mask: shape " + java.util.Arrays.toString(presence.shape())
                    + ", expected [batch, " + modalities.size() + "]");
        }
        for (int i = 0; i < tensors.size(); i++) {
            INDArray t = tensors.get(i);
            Modality m = modalities.get(i);
            if (t.rank() != 2 || t.size(0) != n || t.size(1) != m.size()) {
                throw new IllegalArgumentException("batch tensor for modality '" + m.name() + "': shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected [" + n + ", " + m.size() + "]");
            }
        }
        if (rows != null && rows.length != n) {
            throw new IllegalArgumentException("batch rows: " + rows.length + " indices for " + n + " rows");
        }
    }

    /**
     * Every modality's values side by side, {@code [B, sum of sizes]} in {@code dtype}, with the values of
     * absent modalities set to 0 (they are unspecified, zeros by contract, and an encoder over several
     * modalities reads them); a new array.
     */
    public INDArray observedSideBySide(org.nd4j.linalg.api.buffer.DataType dtype) {
        INDArray p = presence.castTo(dtype); // [B, M]
        INDArray[] columns = new INDArray[modalities.size()];
        for (int j = 0; j < columns.length; j++) {
            columns[j] = tensors.get(j).castTo(dtype).mulColumnVector(p.getColumn(j).dup()); // [B, size_j]
        }
        return org.nd4j.linalg.factory.Nd4j.hstack(columns);
    }

    /** Number of rows. */
    public int size() {
        return (int) presence.size(0);
    }

    /** The index of the named modality, or an error naming the modalities there are. */
    public int indexOf(String modality) {
        return Modality.indexOf(modalities, modality, "this batch");
    }

    /** The tensor of the named modality {@code [batch, size]}. */
    public INDArray tensor(String modality) {
        return tensors.get(indexOf(modality));
    }
}
