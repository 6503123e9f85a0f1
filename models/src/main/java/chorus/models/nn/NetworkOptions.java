package chorus.models.nn;

import java.util.Objects;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * How a network is built and trained, shared by every architecture.
 *
 * @param seed         seeds the weight initialisation; the same seed and shape give the same weights
 * @param dataType     {@link DataType#FLOAT} for training, {@link DataType#DOUBLE} for gradient checks
 * @param learningRate Adam's step size
 * @param weightInit   initial weight distribution (XAVIER unless a study says otherwise)
 */
public record NetworkOptions(long seed, DataType dataType, double learningRate, WeightInit weightInit) {

    /** Adam's default step size, as in the MVAE and MMVAE reference code. */
    public static final double DEFAULT_LEARNING_RATE = 1e-3;

    public NetworkOptions {
        Objects.requireNonNull(dataType, "network data type");
        Objects.requireNonNull(weightInit, "network weight init");
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("network data type " + dataType + ", expected FLOAT or DOUBLE");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate " + learningRate + ", expected a finite number > 0");
        }
    }

    /** Float weights, Adam at 1e-3, Xavier initialisation, with the given seed. */
    public static NetworkOptions of(long seed) {
        return new NetworkOptions(seed, DataType.FLOAT, DEFAULT_LEARNING_RATE, WeightInit.XAVIER);
    }

    /** The same options with another data type. */
    public NetworkOptions withDataType(DataType type) {
        return new NetworkOptions(seed, type, learningRate, weightInit);
    }

    /** The same options with another learning rate. */
    public NetworkOptions withLearningRate(double rate) {
        return new NetworkOptions(seed, dataType, rate, weightInit);
    }

    /** The same options with another seed (e.g. one per modality, derived from the run seed). */
    public NetworkOptions withSeed(long newSeed) {
        return new NetworkOptions(newSeed, dataType, learningRate, weightInit);
    }
}
