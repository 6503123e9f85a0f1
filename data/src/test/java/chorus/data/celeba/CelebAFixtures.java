package chorus.data.celeba;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A tiny CelebA in the real format, for the data and tools tests: {@code n} JPEGs of 178x218, each one
 * solid colour ({@link #colour}), {@code list_attr_celeba.txt} with the real 40 names and values
 * {@link #attribute}, and {@code list_eval_partition.txt} with {@link #partition}.
 */
public final class CelebAFixtures {

    /** The 40 attribute names of the real list file, in its order. */
    public static final List<String> NAMES = List.of("5_o_Clock_Shadow", "Arched_Eyebrows", "Attractive",
            "Bags_Under_Eyes", "Bald", "Bangs", "Big_Lips", "Big_Nose", "Black_Hair", "Blond_Hair", "Blurry", "Brown_Hair",
            "Bushy_Eyebrows", "Chubby", "Double_Chin", "Eyeglasses", "Goatee", "Gray_Hair", "Heavy_Makeup",
            "High_Cheekbones", "Male", "Mouth_Slightly_Open", "Mustache", "Narrow_Eyes", "No_Beard", "Oval_Face",
            "Pale_Skin", "Pointy_Nose", "Receding_Hairline", "Rosy_Cheeks", "Sideburns", "Smiling", "Straight_Hair",
            "Wavy_Hair", "Wearing_Earrings", "Wearing_Hat", "Wearing_Lipstick", "Wearing_Necklace",
            "Wearing_Necktie", "Young");
    private static final Color[] COLOURS = {Color.RED, Color.GREEN, Color.BLUE, Color.WHITE, Color.BLACK, Color.YELLOW};

    private CelebAFixtures() {
    }

    /** The file name of image {@code i} (0-based): {@code 000001.jpg} for 0. */
    public static String file(int i) {
        return String.format("%06d.jpg", i + 1);
    }

    /** The colour of image {@code i}. */
    public static Color colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    /** Attribute {@code a} (0..39) of image {@code i}: 1 or -1. */
    public static int attribute(int i, int a) {
        return (i + a) % 3 == 0 ? 1 : -1;
    }

    /** The partition of image {@code i}: 2 (test) when i % 4 == 3, 1 (validation) when i % 4 == 2, else 0. */
    public static int partition(int i) {
        return i % 4 == 3 ? 2 : i % 4 == 2 ? 1 : 0;
    }

    /** The attribute line of image {@code i}, padded like the real file ("1" after two spaces, "-1" after one). */
    public static String attributeLine(int i) {
        StringBuilder line = new StringBuilder(file(i));
        for (int a = 0; a < NAMES.size(); a++) {
            line.append(attribute(i, a) == 1 ? "  1" : " -1");
        }
        return line.toString();
    }

    /** Writes {@code n} images and both list files into {@code dir}; returns it. */
    public static Path write(Path dir, int n) {
        List<String> attr = new ArrayList<>(List.of(String.valueOf(n), String.join(" ", NAMES) + " "));
        List<String> partitions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            attr.add(attributeLine(i));
            partitions.add(file(i) + " " + partition(i));
            writeJpeg(dir.resolve(CelebA.IMAGE_DIR).resolve(file(i)), colour(i));
        }
        lines(dir.resolve(CelebA.ATTR_FILE), attr);
        lines(dir.resolve(CelebA.PARTITION_FILE), partitions);
        return dir;
    }

    /** A 178x218 JPEG of one colour. */
    public static void writeJpeg(Path file, Color colour) {
        BufferedImage image = new BufferedImage(178, 218, BufferedImage.TYPE_INT_RGB);
        var g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 178, 218);
        g.dispose();
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, "jpg", file.toFile())) {
                throw new IOException("no JPEG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code lines} to {@code file}, one a line. */
    public static void lines(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, lines, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
