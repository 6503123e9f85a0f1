package chorus.tools.evaluation;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.data.SequenceText;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.models.evaluation.SubsetPosterior;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A value to condition generation on, from {@code --condition MODALITY=VALUE}: a class of a categorical
 * modality (by index or name, e.g. {@code label=7} or {@code label=Sneaker}), or an image file for an
 * image modality ({@code image=shirt.png}, read as grayscale or RGB to the modality's channels, and of
 * exactly its height and width), or the text of a sequence modality ({@code text=1773}, one character per
 * token, padded to the modality's length). Every problem is an {@link IllegalArgumentException} naming the option,
 * the value and what is accepted.
 *
 * @param modality    the index of the modality
 * @param value       one row {@code [1, size]} of the modality's values
 * @param description how to print it, e.g. {@code label=7 (Sneaker)}
 */
public record Condition(int modality, INDArray value, String description) {

    /** Parses {@code spec} for {@code model}; {@code dataset} names the class names to accept. */
    public static Condition parse(String spec, MultimodalVae model, String dataset) {
        List<Modality> mods = model.dataModalities(); // not a joint encoder's input
        String valid = String.join(", ", mods.stream().map(Modality::name).toList());
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new IllegalArgumentException("--condition '" + spec + "': expected MODALITY=VALUE with MODALITY one of "
                    + valid + " (e.g. label=5 or image=picture.png)");
        }
        String name = spec.substring(0, eq).strip();
        String value = spec.substring(eq + 1).strip();
        int j = mods.stream().map(Modality::name).toList().indexOf(name);
        if (j < 0) {
            throw new IllegalArgumentException("--condition " + spec + ": the model has no modality '" + name
                    + "'; it has " + valid);
        }
        Modality m = mods.get(j);
        return switch (m.kind()) {
            case CATEGORICAL -> category(spec, j, m, value, Roles.classNames(dataset, m));
            case IMAGE -> image(spec, j, m, Path.of(value));
            case SEQUENCE -> new Condition(j, Nd4j.create(SequenceText.oneHot(m, value, "--condition " + spec),
                    new long[] {1, m.size()}, DataType.FLOAT), m.name() + "=" + value);
            default -> throw new IllegalArgumentException("--condition " + spec + ": conditioning on a "
                    + m.kind().name().toLowerCase(Locale.ROOT) + " modality is not supported; condition on a"
                    + " categorical, image or sequence modality");
        };
    }

    /** {@code n} rows observing only this value. */
    private Batch batch(MultimodalVae model, int n) {
        return Generation.observing(model, modality, Nd4j.tile(value, n, 1));
    }

    /** q(z | this value) for {@code n} identical rows, combined by {@code rule} as the model was trained. */
    public SubsetPosterior posterior(MultimodalVae model, PosteriorRule rule, int n) {
        return Generation.posterior(model, rule, batch(model, n), List.of(model.modalities().get(modality).name()));
    }

    private static Condition category(String spec, int j, Modality m, String value, List<String> names) {
        int classes = m.size();
        int c = -1;
        if (value.matches("-?\\d+")) {
            c = Integer.parseInt(value);
        } else {
            for (int k = 0; k < names.size(); k++) {
                if (names.get(k).equalsIgnoreCase(value)) {
                    c = k;
                }
            }
        }
        if (c < 0 || c >= classes) {
            boolean named = !names.get(0).equals("0");
            throw new IllegalArgumentException("--condition " + spec + ": expected a class of '" + m.name() + "' in 0.."
                    + (classes - 1) + (named ? " or one of " + String.join(", ", names) : ""));
        }
        INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 1, classes);
        oneHot.putScalar(0, c, 1.0);
        String label = names.get(c).equals(String.valueOf(c)) ? "" : " (" + names.get(c) + ")";
        return new Condition(j, oneHot, m.name() + "=" + c + label);
    }

    private static Condition image(String spec, int j, Modality m, Path file) {
        int[] shape = m.shape(); // [channels, height, width]
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--condition " + spec + ": no such file " + file);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--condition " + spec + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new IllegalArgumentException("--condition " + spec + ": " + file + " is not a PNG, JPEG, GIF or BMP image");
        }
        if (img.getHeight() != shape[1] || img.getWidth() != shape[2]) {
            throw new IllegalArgumentException("--condition " + spec + ": " + file + " is " + img.getWidth() + "x"
                    + img.getHeight() + ", expected " + shape[2] + "x" + shape[1] + " like the '" + m.name() + "' images");
        }
        int plane = shape[1] * shape[2];
        float[] values = new float[shape[0] * plane];
        for (int y = 0; y < shape[1]; y++) {
            for (int x = 0; x < shape[2]; x++) {
                int rgb = img.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float g = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int p = y * shape[2] + x;
                if (shape[0] == 1) {
                    values[p] = 0.299f * r + 0.587f * g + 0.114f * b; // ITU-R BT.601 luma
                } else {
                    values[p] = r;
                    values[plane + p] = g;
                    values[2 * plane + p] = b;
                }
            }
        }
        return new Condition(j, Nd4j.create(values, new long[] {1, values.length}, DataType.FLOAT),
                m.name() + "=" + file);
    }
}
