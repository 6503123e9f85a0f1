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
    private final int[] held;       // rows whose share of dL/dθ is dropped
    private final INDArray heldInput; // [R_held, in] their decoder input, decoded again for their dL/dz; null when none

    private DecoderStage(Network network, Likelihood likelihood, INDArray params, INDArray x, int[] held, INDArray heldInput) {
        this.network = network;
        this.likelihood = likelihood;
        this.params = params;
        this.x = x;
        this.held = held;
        this.heldInput = heldInput;
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
        int[] held = request.heldRows();
        INDArray heldInput = held.length == 0 ? null                                        // [R_held, in]
                : DecoderInput.scoring(network, Rows.gather(z, held), Rows.gather(x, held));
        return new DecoderStage(network, likelihood, params, x, held, heldInput);
    }

    /** log p(x_r | z_r) per request row {@code [R]}. */
    public INDArray logProb() {
        return likelihood.logProb(params, x);
    }

    /**
     * dL/dθ and dL/dz {@code [R, D]} given dL/dlogp per row {@code [R]}. Held rows add nothing to dL/dθ: the
     * other rows are backpropagated (held ones with a zero error), then the held rows are decoded again and
     * backpropagated for their dL/dz alone (TELBO's decoders held fixed in the single-modality terms).
     */
    public Gradients backward(INDArray coefficients) {
        INDArray dParams = likelihood.backward(params, x, coefficients.castTo(params.dataType())); // [R, P]
        if (held.length == 0) {
            Gradients g = network.backward(dParams);
            return new Gradients(g.params(), DecoderInput.latentGradient(network, g.input())); // dL/dz [R, D]
        }
        INDArray heldErrors = Rows.gather(dParams, held);                                   // [R_held, P]
        INDArray trained = dParams.dup();
        Rows.scatterAdd(trained, held, heldErrors.neg());                                   // held rows' error 0
        Gradients g = network.backward(trained);
        network.forward(heldInput);
        INDArray dzHeld = DecoderInput.latentGradient(network, network.backward(heldErrors).input()); // [R_held, D]
        INDArray dz = DecoderInput.latentGradient(network, g.input()).dup();               // [R, D]
        Rows.scatterAdd(dz, held, dzHeld);                                                  // their dz was 0
        return new Gradients(g.params(), dz);
    }
}
