package chorus.data.generated;

import chorus.data.config.Settings;
import com.typesafe.config.Config;

/**
 * The {@code chorus.data.polymnist} settings, read and range-checked once.
 *
 * @param modalities  background modalities M, 1 to {@link Textures#KINDS}' 5 (PolyMNIST: 5)
 * @param textureSize side of each square background texture a 28x28 patch is cropped from, at least 256
 * @param seed        seed of the textures, crops and the choice of each modality's digit instance
 */
public record PolyMnistSettings(int modalities, int textureSize, long seed) {

    /** PolyMNIST's five modalities on 256x256 textures, seed 1. */
    public static final PolyMnistSettings DEFAULT = new PolyMnistSettings(5, 256, 1);
    /** Smallest and largest texture side accepted. */
    public static final int MIN_TEXTURE = 256;
    public static final int MAX_TEXTURE = 4096;

    public PolyMnistSettings {
        if (modalities < 1 || modalities > Textures.KINDS.size()) {
            throw new IllegalArgumentException("PolyMNIST modalities " + modalities + ", expected 1 to "
                    + Textures.KINDS.size());
        }
        if (textureSize < MIN_TEXTURE || textureSize > MAX_TEXTURE) {
            throw new IllegalArgumentException("PolyMNIST texture size " + textureSize + ", expected " + MIN_TEXTURE
                    + " to " + MAX_TEXTURE);
        }
    }

    /** Reads {@code chorus.data.polymnist.*} from the resolved configuration {@code root}; errors name the key. */
    public static PolyMnistSettings from(Config root) {
        if (!root.hasPath("chorus.data.polymnist")) {
            return DEFAULT; // a config stored with a checkpoint written before the block existed
        }
        return new PolyMnistSettings(
                Settings.intIn(root, "chorus.data.polymnist.modalities", 1, Textures.KINDS.size()),
                Settings.intIn(root, "chorus.data.polymnist.texture-size", MIN_TEXTURE, MAX_TEXTURE),
                Settings.longValue(root, "chorus.data.polymnist.seed"));
    }
}
