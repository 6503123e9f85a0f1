package chorus.models.likelihood;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The "likelihood" of a modality that only an encoder reads, such as the input of a joint encoder (the
 * concatenation of several modalities, {@code chorus.models.joint}): no term of the objective targets it,
 * so nothing is ever scored with it and every scoring method refuses. A {@code MultimodalVae} holds one
 * decoder per modality; for such a modality it is a one-output layer that never runs (the price of running
 * the joint encoder as a modality of its own through every driver unchanged).
 */
public record EncoderOnly(String modality) implements Likelihood {

    @Override
    public INDArray logProb(INDArray params, INDArray x) {
        throw refused();
    }

    @Override
    public INDArray backward(INDArray params, INDArray x, INDArray dLogProb) {
        throw refused();
    }

    @Override
    public INDArray mean(INDArray params) {
        throw refused();
    }

    /** One output: the smallest decoder a {@code MultimodalVae} accepts for a modality that is never decoded. */
    @Override
    public int paramSize(int dataSize) {
        return 1;
    }

    private IllegalStateException refused() {
        return new IllegalStateException("modality '" + modality + "' is read only by an encoder (a joint encoder's"
                + " input): no term reconstructs it, so it has no likelihood to score");
    }
}
