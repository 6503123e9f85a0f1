package chorus.models.objective;

import chorus.models.likelihood.Likelihood;
import chorus.models.nn.Gradients;
import chorus.models.nn.Network;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder's part of a step: decode a request's z rows, score them against the data rows they
 * reconstruct, then backpropagate the objective's coefficients (dL/dlogp per row) into dL/dz and the
 * network's parameter gradient. A teacher-forced decoder reads its data rows beside z ({@link DecoderInput}).
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
        INDArray x = Rows.gather(data.castTo(network.dataType()), request.dataRows());      // [R, size]
        INDArray z = request.z().castTo(network.dataType());                                // [R, D]
        INDArray params = network.forward(DecoderInput.scoring(network, z, x));             // [R, P]
        return new DecoderStage(network, likelihood, params, x);
    }

    /** log p(x_r | z_r) per request row {@code [R]}. */
    public INDArray logProb() {
        return likelihood.logProb(params, x);
    }

    /** dL/dθ and dL/dz {@code [R, D]} given dL/dlogp per row {@code [R]}. */
    public Gradients backward(INDArray coefficients) {
        INDArray dParams = likelihood.backward(params, x, coefficients.castTo(params.dataType())); // [R, P]
        Gradients g = network.backward(dParams);
        return new Gradients(g.params(), DecoderInput.latentGradient(network, g.input())); // dL/dz [R, D]
    }
}
