package chorus.data.svhn;

import chorus.data.config.Settings;
import com.typesafe.config.Config;

/**
 * The {@code chorus.data.mnist-svhn} settings, read and range-checked once.
 *
 * @param pairsPerDigit how many SVHN images of its class each MNIST digit is paired with (MMVAE: 20)
 * @param maxPerClass   at most this many digits of each class from either dataset take part (MMVAE: 10,000)
 * @param seed          seed of the pairing
 */
public record MnistSvhnSettings(int pairsPerDigit, int maxPerClass, long seed) {

    /** MMVAE's pairing: 20 pairs per digit, up to 10,000 digits per class. */
    public static final MnistSvhnSettings DEFAULT = new MnistSvhnSettings(20, 10_000, 1);
    /** Most pairs per digit accepted. */
    public static final int MAX_PAIRS = 100;

    public MnistSvhnSettings {
        if (pairsPerDigit < 1 || pairsPerDigit > MAX_PAIRS) {
            throw new IllegalArgumentException("MNIST-SVHN pairs per digit " + pairsPerDigit + ", expected 1 to " + MAX_PAIRS);
        }
        if (maxPerClass < 1) {
            throw new IllegalArgumentException("MNIST-SVHN digits per class " + maxPerClass + ", expected at least 1");
        }
    }

    /** Reads {@code chorus.data.mnist-svhn.*} from the resolved configuration {@code root}; errors name the key. */
    public static MnistSvhnSettings from(Config root) {
        if (!root.hasPath("chorus.data.mnist-svhn")) {
            return DEFAULT; // a config stored with a checkpoint written before the block existed
        }
        return new MnistSvhnSettings(
                Settings.intIn(root, "chorus.data.mnist-svhn.pairs-per-digit", 1, MAX_PAIRS),
                Settings.intIn(root, "chorus.data.mnist-svhn.max-per-class", 1, Integer.MAX_VALUE),
                Settings.longValue(root, "chorus.data.mnist-svhn.seed"));
    }
}
