package chorus.data.generated;

import chorus.data.Seeds;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Five procedural RGB background textures for {@link PolyMnist}, each its own kind so the modalities differ
 * in appearance the way PolyMNIST's photographs do (Sutter, Daunhawer and Vogt 2021 crop five photographs;
 * Chorus makes its own so the dataset needs no download): smooth value noise, coloured diagonal stripes, a
 * plasma of crossing waves, a noisy checkerboard and cellular (Worley) noise. Each texture is
 * {@code [3, side, side]} bytes in C, H, W order and depends only on its index, side and seed.
 */
public final class Textures {

    /** The texture kinds, by index. */
    public static final List<String> KINDS = List.of("noise", "stripes", "plasma", "checks", "cells");

    private Textures() {
    }

    /** Texture {@code kind} (an index of {@link #KINDS}) of {@code side x side}, from {@code seed}. */
    public static byte[] make(int kind, int side, long seed) {
        SplittableRandom random = new SplittableRandom(Seeds.derive(seed, kind));
        float[] a = randomColour(random, 0f); // the dark end
        float[] b = randomColour(random, 0.5f); // the light end
        float[] value = switch (kind) {
            case 0 -> valueNoise(side, random);
            case 1 -> stripes(side, random);
            case 2 -> plasma(side, random);
            case 3 -> checks(side, random);
            case 4 -> cells(side, random);
            default -> throw new IllegalArgumentException("texture " + kind + ", expected 0 to " + (KINDS.size() - 1));
        };
        byte[] rgb = new byte[3 * side * side];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < side * side; p++) {
                float v = value[p];
                rgb[c * side * side + p] = (byte) Math.round(255f * (a[c] * (1 - v) + b[c] * v));
            }
        }
        return rgb;
    }

    /** A colour whose channels are in [from, from + 0.5]: one dark and one light end, so the two contrast. */
    private static float[] randomColour(SplittableRandom random, float from) {
        float[] c = new float[3];
        for (int i = 0; i < 3; i++) {
            c[i] = from + 0.5f * (float) random.nextDouble();
        }
        return c;
    }

    /** Four octaves (16 to 128 cells across) of smoothly interpolated lattice noise, in [0, 1]. */
    private static float[] valueNoise(int side, SplittableRandom random) {
        float[] out = new float[side * side];
        float amplitude = 0.5f;
        float total = 0;
        for (int octave = 0, cells = 16; octave < 4; octave++, cells *= 2, amplitude /= 2) {
            float[] lattice = new float[(cells + 1) * (cells + 1)];
            for (int i = 0; i < lattice.length; i++) {
                lattice[i] = (float) random.nextDouble();
            }
            for (int y = 0; y < side; y++) {
                float fy = (float) y * cells / side;
                int y0 = (int) fy;
                float ty = smooth(fy - y0);
                for (int x = 0; x < side; x++) {
                    float fx = (float) x * cells / side;
                    int x0 = (int) fx;
                    float tx = smooth(fx - x0);
                    float top = lerp(lattice[y0 * (cells + 1) + x0], lattice[y0 * (cells + 1) + x0 + 1], tx);
                    float bottom = lerp(lattice[(y0 + 1) * (cells + 1) + x0], lattice[(y0 + 1) * (cells + 1) + x0 + 1], tx);
                    out[y * side + x] += amplitude * lerp(top, bottom, ty);
                }
            }
            total += amplitude;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= total;
        }
        return out;
    }

    /** Sinusoidal stripes at a random angle and period of 6 to 14 pixels, in [0, 1]. */
    private static float[] stripes(int side, SplittableRandom random) {
        double angle = random.nextDouble() * Math.PI;
        double period = 6 + 8 * random.nextDouble();
        double cx = Math.cos(angle);
        double sy = Math.sin(angle);
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                out[y * side + x] = (float) (0.5 + 0.5 * Math.sin(2 * Math.PI * (x * cx + y * sy) / period));
            }
        }
        return out;
    }

    /** The sum of three plane waves and one circular wave with random directions and periods, in [0, 1]. */
    private static float[] plasma(int side, SplittableRandom random) {
        double[][] waves = new double[3][];
        for (int k = 0; k < waves.length; k++) {
            double angle = random.nextDouble() * 2 * Math.PI;
            waves[k] = new double[] {Math.cos(angle), Math.sin(angle), 20 + 60 * random.nextDouble()};
        }
        double ox = random.nextDouble() * side;
        double oy = random.nextDouble() * side;
        double ring = 15 + 30 * random.nextDouble();
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double v = Math.sin(2 * Math.PI * Math.hypot(x - ox, y - oy) / ring);
                for (double[] w : waves) {
                    v += Math.sin(2 * Math.PI * (x * w[0] + y * w[1]) / w[2]);
                }
                out[y * side + x] = (float) (0.5 + v / 8);
            }
        }
        return out;
    }

    /** A checkerboard of 8- to 20-pixel squares with 20% per-pixel noise, in [0, 1]. */
    private static float[] checks(int side, SplittableRandom random) {
        int cell = 8 + random.nextInt(13);
        float[] out = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                float base = ((x / cell + y / cell) % 2 == 0) ? 0.1f : 0.9f;
                out[y * side + x] = Math.min(1f, Math.max(0f, base + 0.2f * ((float) random.nextDouble() - 0.5f)));
            }
        }
        return out;
    }

    /**
     * Cellular (Worley) noise: one random point in each cell of a grid of about 20-pixel cells, each pixel's
     * distance to the nearest point (searching the 3x3 neighbouring cells, wrapping at the edges), scaled to [0, 1].
     */
    private static float[] cells(int side, SplittableRandom random) {
        int grid = Math.max(1, side / 20);
        double cell = (double) side / grid;
        double[] px = new double[grid * grid];
        double[] py = new double[grid * grid];
        for (int k = 0; k < px.length; k++) {
            px[k] = (k % grid + random.nextDouble()) * cell;
            py[k] = (k / grid + random.nextDouble()) * cell;
        }
        float[] out = new float[side * side];
        float max = 1e-6f;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int gx = (int) (x / cell);
                int gy = (int) (y / cell);
                double best = Double.MAX_VALUE;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int k = Math.floorMod(gy + dy, grid) * grid + Math.floorMod(gx + dx, grid);
                        double ddx = Math.abs(x - px[k]);
                        double ddy = Math.abs(y - py[k]);
                        ddx = Math.min(ddx, side - ddx);
                        ddy = Math.min(ddy, side - ddy);
                        best = Math.min(best, ddx * ddx + ddy * ddy);
                    }
                }
                out[y * side + x] = (float) Math.sqrt(best);
                max = Math.max(max, out[y * side + x]);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= max;
        }
        return out;
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }

    private static float lerp(float a, float b, float t) {
        return a + (b - a) * t;
    }
}
