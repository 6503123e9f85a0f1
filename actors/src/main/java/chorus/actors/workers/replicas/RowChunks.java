package chorus.actors.workers.replicas;

import chorus.models.objective.DecodeRequest;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How a {@link ReplicaRouter} cuts a request's rows into contiguous chunks, one per replica, and puts the
 * replicas' answers back together: outputs concatenated in row order, parameter gradients summed. The loss
 * is a mean over the whole batch and the coefficients the replicas backpropagate already carry its 1/B,
 * so each chunk's gradient is its rows' share of the batch gradient and their plain sum is the gradient
 * of the whole request (up to float rounding: the sum is taken in another order).
 */
final class RowChunks {

    private RowChunks() {
    }

    /**
     * Contiguous row ranges {@code [from, to)} over {@code rows} rows for up to {@code parts} replicas: as
     * equal as can be, the first ones a row longer; fewer than {@code parts} when there are fewer rows.
     */
    static List<int[]> ranges(int rows, int parts) {
        int n = Math.min(rows, parts);
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < n; i++) {
            int to = from + rows / n + (i < rows % n ? 1 : 0);
            out.add(new int[] {from, to});
            from = to;
        }
        return out;
    }

    /** Rows {@code [from, to)} of a vector {@code [R]} or matrix {@code [R, C]}, as a new array (null stays null). */
    static INDArray rows(INDArray x, int[] range) {
        if (x == null) {
            return null;
        }
        INDArrayIndex rows = NDArrayIndex.interval(range[0], range[1]);
        return (x.rank() == 1 ? x.get(rows) : x.get(rows, NDArrayIndex.all())).dup('c');
    }

    /** The rows of a decode request in {@code range}: its z rows, their data rows, coefficients and held flags. */
    static DecodeRequest rows(DecodeRequest request, int[] range) {
        return new DecodeRequest(request.modality(), rows(request.z(), range),
                Arrays.copyOfRange(request.dataRows(), range[0], range[1]), rows(request.coefficients(), range),
                rows(request.held(), range));
    }

    /** The rows of an expert's gradient in {@code range}. */
    static GaussianGrad rows(GaussianGrad grad, int[] range) {
        return new GaussianGrad(rows(grad.dMu(), range), rows(grad.dLogvar(), range));
    }

    /** Arrays of consecutive chunks stacked in order along rows (null if every part is null). */
    static INDArray concat(List<INDArray> parts) {
        if (parts.stream().allMatch(p -> p == null)) {
            return null;
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * The sum {@code [1, P]} of the replicas' parameter gradients, in replica order (so every run adds alike);
     * a replica whose rows did not run its network (null) adds nothing; null if none ran.
     */
    static INDArray sum(List<INDArray> grads) {
        INDArray total = null;
        for (INDArray g : grads) {
            if (g != null) {
                total = total == null ? g.dup() : total.addi(g);
            }
        }
        return total;
    }
}
