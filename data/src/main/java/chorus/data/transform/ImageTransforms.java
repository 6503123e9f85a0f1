package chorus.data.transform;

import java.util.SplittableRandom;

/**
 * The image arithmetic of {@link VisionTransforms}: one image {@code [C, H, W]} (row-major, values in [0, 1]) in,
 * its transform out, values in [0, 1]. The randomness of {@code masked} and {@code noisy} comes from the row's
 * own generator.
 */
final class ImageTransforms {

    /** Standard deviation of {@code noisy}'s Gaussian noise. */
    static final double NOISE = 0.1;

    private ImageTransforms() {
    }

    /** Transform {@code name} of {@code image} (C x H x W). */
    static float[] apply(String name, float[] image, int c, int h, int w, SplittableRandom random) {
        return switch (name) {
            case "grayscale" -> grey(image, c, h, w);
            case "edges" -> edges(grey(image, c, h, w), h, w);
            case "masked" -> masked(image, c, h, w, random);
            case "watermark" -> watermark(image, c, h, w);
            case "noisy" -> noisy(image, random);
            default -> throw new IllegalArgumentException("unknown transform '" + name + "'");
        };
    }

    /** Luminance (ITU-R BT.601 weights); a grey image is its own luminance. */
    static float[] grey(float[] image, int c, int h, int w) {
        int plane = h * w;
        if (c == 1) {
            return image.clone();
        }
        float[] out = new float[plane];
        for (int p = 0; p < plane; p++) {
            out[p] = 0.299f * image[p] + 0.587f * image[plane + p] + 0.114f * image[2 * plane + p];
        }
        return out;
    }

    /** Sobel gradient magnitude with replicated borders, clipped to [0, 1]. */
    static float[] edges(float[] grey, int h, int w) {
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float gx = at(grey, h, w, y - 1, x + 1) + 2 * at(grey, h, w, y, x + 1) + at(grey, h, w, y + 1, x + 1)
                        - at(grey, h, w, y - 1, x - 1) - 2 * at(grey, h, w, y, x - 1) - at(grey, h, w, y + 1, x - 1);
                float gy = at(grey, h, w, y + 1, x - 1) + 2 * at(grey, h, w, y + 1, x) + at(grey, h, w, y + 1, x + 1)
                        - at(grey, h, w, y - 1, x - 1) - 2 * at(grey, h, w, y - 1, x) - at(grey, h, w, y - 1, x + 1);
                out[y * w + x] = Math.min(1f, (float) Math.sqrt(gx * gx + gy * gy));
            }
        }
        return out;
    }

    /** A random square of half the smaller side set to 0 in every channel. */
    static float[] masked(float[] image, int c, int h, int w, SplittableRandom random) {
        int side = Math.max(1, Math.min(h, w) / 2);
        int y0 = random.nextInt(h - side + 1);
        int x0 = random.nextInt(w - side + 1);
        float[] out = image.clone();
        for (int ch = 0; ch < c; ch++) {
            for (int y = y0; y < y0 + side; y++) {
                java.util.Arrays.fill(out, ch * h * w + y * w + x0, ch * h * w + y * w + x0 + side, 0f);
            }
        }
        return out;
    }

    /** Diagonal bars two pixels wide every eight pixels, blended in white at half strength. */
    static float[] watermark(float[] image, int c, int h, int w) {
        float[] out = image.clone();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if ((x + y) % 8 < 2) {
                        int p = ch * h * w + y * w + x;
                        out[p] = 0.5f * out[p] + 0.5f;
                    }
                }
            }
        }
        return out;
    }

    /** Gaussian noise of standard deviation {@link #NOISE}, clipped to [0, 1]. */
    static float[] noisy(float[] image, SplittableRandom random) {
        float[] out = new float[image.length];
        for (int i = 0; i < image.length; i++) {
            out[i] = (float) Math.min(1, Math.max(0, image[i] + NOISE * gaussian(random)));
        }
        return out;
    }

    private static double gaussian(SplittableRandom random) { // Box-Muller: SplittableRandom has no nextGaussian in Java 17
        double u = 1 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static float at(float[] grey, int h, int w, int y, int x) {
        return grey[Math.min(h - 1, Math.max(0, y)) * w + Math.min(w - 1, Math.max(0, x))];
    }
}
