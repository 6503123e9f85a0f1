package chorus.data.transform;

import chorus.data.ByteImages;
import chorus.data.DataException;
import chorus.data.Dataset;
import chorus.data.Modality;
import chorus.data.Seeds;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Image transforms as derived modalities, after the MVAE paper's computer-vision experiment (Wu and Goodman 2018,
 * section 5.3: each image-processing transform of a CelebA image is its own modality, and the model learns to
 * undo them: colourise from grey, draw from edges, fill in the obscured part, remove the watermark, denoise).
 * With {@code chorus.data.transforms = [...]} the dataset's first image modality is the source and every transform
 * adds one image modality named after it, after the dataset's own modalities, with the source's likelihood:
 * <ul>
 *   <li>{@code grayscale}: 1 channel, luminance 0.299 R + 0.587 G + 0.114 B;</li>
 *   <li>{@code edges}: 1 channel, the Sobel gradient magnitude of the luminance, clipped to [0, 1];</li>
 *   <li>{@code masked}: the source with a random square of half its side blacked out;</li>
 *   <li>{@code watermark}: the source with a fixed pattern of diagonal bars blended in at half strength;</li>
 *   <li>{@code noisy}: the source plus Gaussian noise of standard deviation 0.1, clipped to [0, 1].</li>
 * </ul>
 * Random choices are seeded per split and row, so a row's transforms never change. Derived images are held as
 * UINT8 and made in chunks of rows, so a large split never exists as floats at once.
 */
public final class VisionTransforms {

    /** The transform names {@code chorus.data.transforms} accepts, in the order above. */
    public static final List<String> KNOWN = List.of("grayscale", "edges", "masked", "watermark", "noisy");
    /** The config key, for messages. */
    public static final String KEY = "chorus.data.transforms";
    /** Stream of {@link Seeds#derive} for the transforms of split train (test: one more). */
    public static final long STREAM = -2_000L;
    private static final int CHUNK = 1024;

    private VisionTransforms() {
    }

    /** Checks {@code names}: each known, none twice; the error is one line naming the key and the known names. */
    public static void check(List<String> names) {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!KNOWN.contains(name)) {
                throw new DataException(KEY + ": unknown transform '" + name + "', expected some of " + String.join(", ", KNOWN));
            }
            if (names.subList(0, i).contains(name)) {
                throw new DataException(KEY + ": transform '" + name + "' listed twice, expected each at most once");
            }
        }
    }

    /** {@code modalities} followed by one image modality per transform of the first image among them. */
    public static List<Modality> modalities(List<Modality> modalities, List<String> transforms, String dataset) {
        if (transforms.isEmpty()) {
            return modalities;
        }
        check(transforms);
        Modality source = source(modalities, dataset);
        List<Modality> out = new ArrayList<>(modalities);
        int[] s = source.shape();
        for (String t : transforms) {
            if (modalities.stream().anyMatch(m -> m.name().equals(t))) {
                throw new DataException(KEY + ": transform '" + t + "' would repeat dataset " + dataset
                        + "'s own modality of that name");
            }
            int channels = t.equals("grayscale") || t.equals("edges") ? 1 : s[0];
            out.add(Modality.image(t, channels, s[1], s[2], source.likelihood()));
        }
        return List.copyOf(out);
    }

    /** {@code data} with the transforms' modalities added (rows observe them where they observe the source). */
    public static Dataset apply(Dataset data, List<String> transforms, long seed) {
        if (transforms.isEmpty()) {
            return data;
        }
        List<Modality> all = modalities(data.modalities(), transforms, data.name());
        int src = data.modalities().indexOf(source(data.modalities(), data.name()));
        int[] shape = data.modalities().get(src).shape();
        long splitSeed = Seeds.derive(seed, data.split().equals("train") ? STREAM : STREAM + 1);
        List<INDArray> tensors = new ArrayList<>();
        for (int m = 0; m < data.modalities().size(); m++) {
            tensors.add(data.storedTensor(m)); // shared, not copied
        }
        List<ByteBuffer> outs = new ArrayList<>();
        for (int k = 0; k < transforms.size(); k++) {
            INDArray t = ByteImages.allocate(data.size(), all.get(data.modalities().size() + k).size(), data.name());
            tensors.add(t);
            outs.add(ByteImages.buffer(t));
        }
        for (int from = 0; from < data.size(); from += CHUNK) {
            int[] rows = java.util.stream.IntStream.range(from, Math.min(data.size(), from + CHUNK)).toArray();
            float[] images = data.batch(0, rows).tensors().get(src).dup('c').data().asFloat(); // [B * C*H*W]
            for (int i = 0; i < rows.length; i++) {
                float[] image = java.util.Arrays.copyOfRange(images, i * all.get(src).size(), (i + 1) * all.get(src).size());
                SplittableRandom random = new SplittableRandom(Seeds.derive(splitSeed, rows[i]));
                for (int k = 0; k < transforms.size(); k++) {
                    float[] out = ImageTransforms.apply(transforms.get(k), image, shape[0], shape[1], shape[2], random);
                    ByteBuffer b = outs.get(k);
                    for (int j = 0; j < out.length; j++) {
                        b.put(rows[i] * out.length + j, (byte) Math.round(255f * out[j]));
                    }
                }
            }
        }
        int m = data.modalities().size();
        float[] presence = data.presence().dup('c').data().asFloat(); // [N * M]
        float[] extended = new float[data.size() * all.size()];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(presence, i * m, extended, i * all.size(), m);
            java.util.Arrays.fill(extended, i * all.size() + m, (i + 1) * all.size(), presence[i * m + src]);
        }
        return new Dataset(data.name(), data.split(), data.source(), all, tensors, data.labels(),
                org.nd4j.linalg.factory.Nd4j.create(extended, new long[] {data.size(), all.size()})); // [N, M + K]
    }

    /** The first image modality, or an error naming the key and the dataset. */
    private static Modality source(List<Modality> modalities, String dataset) {
        return modalities.stream().filter(m -> m.kind() == Modality.Kind.IMAGE).findFirst().orElseThrow(() ->
                new DataException(KEY + ": dataset " + dataset + " has no image modality to transform"));
    }
}
