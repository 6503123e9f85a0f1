package chorus.data.celeba;

import chorus.data.config.Settings;
import com.typesafe.config.Config;

/**
 * The {@code chorus.data.celeba} settings, read and range-checked once.
 *
 * @param imageSize side S of the square RGB images, in [4, 512] and divisible by 4 (the convolutional
 *                  networks halve it twice); MVAE uses 64
 * @param limit     rows of each split to read, the first ones in file order; 0 reads all
 */
public record CelebASettings(int imageSize, int limit) {

    /** MVAE's 64x64 images, every row. */
    public static final CelebASettings DEFAULT = new CelebASettings(64, 0);
    /** Largest side accepted. */
    public static final int MAX_IMAGE_SIZE = 512;

    public CelebASettings {
        if (imageSize < 4 || imageSize > MAX_IMAGE_SIZE || imageSize % 4 != 0) {
            throw new IllegalArgumentException("CelebA image size " + imageSize + ", expected a multiple of 4 in [4, "
                    + MAX_IMAGE_SIZE + "]");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("CelebA row limit " + limit + ", expected 0 (all rows) or more");
        }
    }

    /**
     * Reads {@code chorus.data.celeba.*} from the resolved configuration {@code root}; errors name the key.
     * A config without the block, stored with a checkpoint written before it existed, reads as {@link #DEFAULT}.
     */
    public static CelebASettings from(Config root) {
        if (!root.hasPath("chorus.data.celeba")) {
            return DEFAULT;
        }
        String sizeKey = "chorus.data.celeba.image-size";
        int size = Settings.intIn(root, sizeKey, 4, MAX_IMAGE_SIZE);
        if (size % 4 != 0) {
            throw Settings.invalid(root, sizeKey, String.valueOf(size), "a multiple of 4 (the convolutional networks"
                    + " halve the side twice), e.g. 64");
        }
        return new CelebASettings(size, Settings.intIn(root, "chorus.data.celeba.limit", 0, Integer.MAX_VALUE));
    }
}
