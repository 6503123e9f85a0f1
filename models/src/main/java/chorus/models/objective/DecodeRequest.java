package chorus.models.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a term stage asks of decoder {@code modality}: ONE matrix holding the z rows of every term that
 * reconstructs it, with the data row each z row must reconstruct.
 *
 * @param modality     index of the target modality
 * @param z            {@code [R, D]} latent rows
 * @param dataRows     {@code [R]} the batch row of each z row (the decoder gathers x_m with it)
 * @param coefficients {@code [R]} dL/dlogp per row when known before scoring (ELBO family), else null
 * @param held         {@code [R]} 0/1: 1 on rows that train only what produced their z, not the decoder (TELBO's
 *                     single-modality terms: their dL/dz flows back, their share of dL/dθ is dropped); null: none
 */
public record DecodeRequest(int modality, INDArray z, int[] dataRows, INDArray coefficients, INDArray held) {

    /** A request whose every row trains the decoder. */
    public DecodeRequest(int modality, INDArray z, int[] dataRows, INDArray coefficients) {
        this(modality, z, dataRows, coefficients, null);
    }

    public DecodeRequest {
        if (z.rank() != 2 || z.size(0) != dataRows.length) {
            throw new IllegalArgumentException("decode request for modality " + modality + ": z "
                    + java.util.Arrays.toString(z.shape()) + " for " + dataRows.length + " data rows, expected [R, D] with R = "
                    + dataRows.length);
        }
        if (coefficients != null && coefficients.length() != dataRows.length) {
            throw new IllegalArgumentException("decode request for modality " + modality + ": " + coefficients.length()
                    + " coefficients for " + dataRows.length + " rows");
        }
        if (held != null && held.length() != dataRows.length) {
            throw new IllegalArgumentException("decode request for modality " + modality + ": " + held.length()
                    + " held flags for " + dataRows.length + " rows");
        }
    }

    /** The rows whose decoder parameter gradient is held (empty when none). */
    public int[] heldRows() {
        return held == null ? new int[0] : Rows.where(held);
    }

    /** Number of z rows R. */
    public int rows() {
        return dataRows.length;
    }

    /**
     * This request's rows of a decoder's log-likelihoods {@code logProbs} (by modality), as doubles {@code [R]}.
     *
     * @throws IllegalArgumentException if the modality's are missing or not one per request row
     */
    public double[] logProbs(java.util.Map<Integer, INDArray> logProbs) {
        INDArray lp = logProbs.get(modality);
        if (lp == null || lp.length() != rows()) {
            throw new IllegalArgumentException("log-likelihoods of modality " + modality + ": "
                    + (lp == null ? "missing" : lp.length() + " rows") + ", expected " + rows());
        }
        return Rows.doubles(lp);
    }
}
