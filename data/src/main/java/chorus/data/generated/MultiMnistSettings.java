package chorus.data.generated;

import chorus.data.config.Settings;
import com.typesafe.config.Config;

/**
 * The {@code chorus.data.multimnist} settings, read and range-checked once.
 *
 * @param maxDigits digits per image, at most, and the text's length: 1 to {@link MultiMnist#SLOTS}
 * @param trainRows images generated for {@code train}
 * @param testRows  images generated for {@code test}
 * @param seed      seed of the generation (digit counts and which source digits)
 */
public record MultiMnistSettings(int maxDigits, int trainRows, int testRows, long seed) {

    /** Four digits, 20,000 training and 2,000 test images, seed 7. */
    public static final MultiMnistSettings DEFAULT = new MultiMnistSettings(MultiMnist.SLOTS, 20_000, 2_000, 7);
    /** Most rows of one split. */
    public static final int MAX_ROWS = 1_000_000;

    public MultiMnistSettings {
        if (maxDigits < 1 || maxDigits > MultiMnist.SLOTS) {
            throw new IllegalArgumentException("MultiMNIST max-digits " + maxDigits + ", expected 1 to "
                    + MultiMnist.SLOTS + " (the fixed slots)");
        }
        if (trainRows < 1 || trainRows > MAX_ROWS || testRows < 1 || testRows > MAX_ROWS) {
            throw new IllegalArgumentException("MultiMNIST rows " + trainRows + " / " + testRows + ", expected 1 to "
                    + MAX_ROWS + " each");
        }
    }

    /** Rows of split {@code train} or {@code test}. */
    public int rows(String split) {
        return switch (split) {
            case "train" -> trainRows;
            case "test" -> testRows;
            default -> throw new IllegalArgumentException("split '" + split + "', expected train or test");
        };
    }

    /**
     * Reads {@code chorus.data.multimnist.*} from the resolved configuration {@code root}; errors name the key.
     * A config without the block (stored with a checkpoint written before it existed) reads as {@link #DEFAULT}.
     */
    public static MultiMnistSettings from(Config root) {
        String p = "chorus.data.multimnist";
        if (!root.hasPath(p)) {
            return DEFAULT;
        }
        return new MultiMnistSettings(
                Settings.intIn(root, p + ".max-digits", 1, MultiMnist.SLOTS),
                Settings.intIn(root, p + ".train-rows", 1, MAX_ROWS),
                Settings.intIn(root, p + ".test-rows", 1, MAX_ROWS),
                Settings.longValue(root, p + ".seed"));
    }
}
