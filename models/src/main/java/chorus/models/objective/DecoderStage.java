package chorus.models.objective;

import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Gradients;
import chorus.models.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder's part of a step: decode a request's z rows, score them against the data rows they
 * reconstruct, then backpropagate the objective's coefficients (dL/dlogp per row) into dL/dz and the
 * network's parameter gradient.
 */
public final class DecoderStage {

    private final Network network;
    private final Likelihood likelihood;
    private final INDArray params;  // [R, P] decoder outputs
    private final INDArray x;       // [R, size] gathered data rows

    private DecoderStage(Network network, Likelihood likelihood, INDArray params, INDArray x) {
        this.network = network;
        this.likelihood = likelihood;
        this.params = params;
        this.x = x;
    }

    /**
     * Decodes {@code request.z()} and keeps the activations for {@link #backward}.
     *
     * @param data {@code [B, size]} the modality's batch tensor
     */
    public static DecoderStage forward(Network network, Likelihood likelihood, DecodeRequest request, INDArray data) {
        INDArray params = network.forward(request.z().castTo(network.dataType()));          // [R, P]
        INDArray x = Rows.gather(data.castTo(network.dataType()), request.dataRows());      // [R, size]
        return new DecoderStage(network, likelihood, params, x);
    }

    /** log p(x_r | z_r) per request row {@code [R]}. */
    public INDArray logProb() {
        return likelihood.logProb(params, x);
    }

    /** dL/dθ and dL/dz {@code [R, D]} given dL/dlogp per row {@code [R]}. */
    public Gradients backward(INDArray coefficients) {
        INDArray dParams = likelihood.backward(params, x, coefficients.castTo(params.dataType())); // [R, P]
        return network.backward(dParams);
    }
}
