package chorus.models.objective;

import chorus.models.nn.Network;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An encoder's part of a step: it runs only on the rows that observe its modality and scatters its
 * expert back to the full batch (absent rows hold mu = 0, logvar = 0, which no combiner reads). The
 * network's output is {@code [mu | logvar]}, latent columns each.
 */
public final class EncoderStage {

    private final Network network;
    private final int[] present;  // batch rows observing this modality
    private final int batch;
    private final int latent;

    private EncoderStage(Network network, int[] present, int batch, int latent) {
        this.network = network;
        this.present = present;
        this.batch = batch;
        this.latent = latent;
    }

    /**
     * Encodes the observed rows.
     *
     * @param x        {@code [B, size]} the modality's batch tensor
     * @param presence {@code [B]} 0/1 column of the presence mask for this modality
     */
    public static Forward forward(Network network, INDArray x, INDArray presence) {
        int[] present = Rows.where(presence);
        int b = (int) x.size(0);
        int latent = network.outputSize() / 2;
        INDArray mu = Nd4j.zeros(network.dataType(), b, latent);                  // [B, D]
        INDArray logvar = Nd4j.zeros(network.dataType(), b, latent);              // [B, D]
        if (present.length > 0) {
            Gaussian rows = expert(network.forward(Rows.gather(x.castTo(network.dataType()), present))); // [B_m, D]
            Rows.scatterAdd(mu, present, rows.mu());
            Rows.scatterAdd(logvar, present, rows.logvar());
        }
        return new Forward(new Gaussian(mu, logvar), new EncoderStage(network, present, b, latent));
    }

    /** The expert of an encoder's output {@code [B, 2D]} = {@code [mu | logvar]} (copies). */
    public static Gaussian expert(INDArray out) {
        int latent = (int) out.size(1) / 2;
        return new Gaussian(out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).dup(),
                out.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent)).dup());
    }

    /** The expert over the whole batch and the stage to backpropagate it. */
    public record Forward(Gaussian expert, EncoderStage stage) {
    }

    /** Whether any row observes this modality (if none, the network did not run and has no gradient). */
    public boolean ran() {
        return present.length > 0;
    }

    /** dL/dθ {@code [1, P]} of the encoder from dL/d(mu, logvar) {@code [B, D]}; null when it did not run. */
    public INDArray backward(GaussianGrad grad) {
        if (grad.rows() != batch || grad.dMu().size(1) != latent) {
            throw new IllegalArgumentException("encoder gradient: " + grad.rows() + " x " + grad.dMu().size(1)
                    + ", expected " + batch + " x " + latent);
        }
        if (!ran()) {
            return null;
        }
        INDArray dOut = Nd4j.hstack(Rows.gather(grad.dMu(), present), Rows.gather(grad.dLogvar(), present)); // [B_m, 2D]
        return network.backwardParams(dOut.castTo(network.dataType())); // nothing needs dL/dx of the data
    }
}
