package chorus.tools.run;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One network's state: its name ({@code encoder/<modality>} or {@code decoder/<modality>}), params {@code [1, P]}, updater state. */
public record NetworkState(String name, INDArray params, INDArray updaterState) {

    public NetworkState {
        if (name == null || !name.matches("(encoder|decoder)/[a-zA-Z][a-zA-Z0-9_-]*")) {
            throw new IllegalArgumentException("network name '" + name + "', expected encoder/<modality> or decoder/<modality>");
        }
        Objects.requireNonNull(params, () -> "parameters of " + name);
        Objects.requireNonNull(updaterState, () -> "updater state of " + name);
    }

    /** The entry name of modality {@code modality}'s encoder or decoder. */
    public static String nameOf(boolean encoder, String modality) {
        return (encoder ? "encoder/" : "decoder/") + modality;
    }
}
