package chorus.models.objective;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where each row of a fused decode request comes from: row {@code i} is row {@code row[i]} of source sample
 * {@code source[i]} (rows listed source by source, ascending). {@link #stack} builds the request's z from the
 * sources, {@link #scatterAdd} sends the request's dL/dz back to them: the one gather and its adjoint that the
 * objectives decoding every expert's samples through each decoder (MEME, fummvae) share.
 */
public record SourceRows(int[] source, int[] row) {

    public SourceRows {
        if (source.length != row.length) {
            throw new IllegalArgumentException("source rows: " + source.length + " sources for " + row.length + " rows");
        }
    }

    /** The request's z {@code [R, D]}: each source's rows, in request order, one source after the other. */
    public INDArray stack(List<INDArray> samples) {
        List<INDArray> parts = new ArrayList<>();
        for (int s = 0; s < samples.size(); s++) {
            int[] rows = rowsOf(s);
            if (rows.length > 0) {
                parts.add(Rows.gather(samples.get(s), rows));
            }
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /** Adds the request's gradient {@code g [R, D]} into each source's gradient {@code targets.get(s)}. */
    public void scatterAdd(List<INDArray> targets, INDArray g) {
        for (int s = 0; s < targets.size(); s++) {
            int src = s;
            int[] requestRows = IntStream.range(0, source.length).filter(i -> source[i] == src).toArray();
            if (requestRows.length > 0) {
                Rows.scatterAdd(targets.get(s), rowsOf(s), Rows.gather(g, requestRows));
            }
        }
    }

    private int[] rowsOf(int s) {
        return IntStream.range(0, source.length).filter(i -> source[i] == s).map(i -> row[i]).toArray();
    }
}
