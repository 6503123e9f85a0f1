package chorus.data.celeba;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.DataFixtures;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.data.generated.MultiMnistSettings;
import chorus.data.generated.PolyMnistSettings;
import chorus.data.svhn.MnistSvhnSettings;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class CelebATest {

    static final int SIDE = 16;

    @TempDir
    Path root;

    private Dataset read(String dataset, String split, int limit) {
        Path dir = root.resolve("celeba");
        if (!dir.toFile().exists()) {
            CelebAFixtures.write(dir, 12);
        }
        return CelebA.read(dir, dataset, split, "here", new CelebASettings(SIDE, limit), root.resolve("cache"));
    }

    /** The mean of channel {@code c} of row {@code row} of the image modality. */
    private static double channelMean(Dataset d, int row, int c) {
        INDArray image = d.batch(0, new int[] {row}).tensors().get(0); // [1, 3*S*S]
        return image.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(c * SIDE * SIDE, (c + 1) * SIDE * SIDE)).meanNumber().doubleValue();
    }

    /** The 18 kept attributes of fixture image {@code i} as 0/1. */
    private static float[] kept(int i) {
        float[] v = new float[CelebA.ATTRIBUTES.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = CelebAFixtures.attribute(i, CelebAFixtures.NAMES.indexOf(CelebA.ATTRIBUTES.get(k))) == 1 ? 1f : 0f;
        }
        return v;
    }

    @Test
    void aRedJpegBecomesARedSquareOfUnitValues() {
        Dataset train = read(CelebA.NAME, "train", 0);
        assertEquals(List.of(3, SIDE, SIDE), IntStream.of(train.modalities().get(0).shape()).boxed().toList());
        assertEquals(DataType.UINT8, train.storedType(0));
        assertEquals(Color.RED, CelebAFixtures.colour(0));
        assertEquals(1.0, channelMean(train, 0, 0), 0.02);
        assertEquals(0.0, channelMean(train, 0, 1), 0.02);
        assertEquals(0.0, channelMean(train, 0, 2), 0.02);
    }

    @Test
    void attributesAreTheEighteenKeptColumnsAsZeroOrOne() {
        Dataset train = read(CelebA.NAME, "train", 0);
        assertEquals(new Modality("attributes", Modality.Kind.ATTRIBUTES, new int[] {18}, LikelihoodKind.BERNOULLI),
                train.modalities().get(1));
        assertArrayEquals(kept(4), train.data(1).getRow(2).toFloatVector()); // train rows are images 0, 1, 4, 5, 8, 9
    }

    @Test
    void splitsFollowThePartitionListAndValidationIsUnused() {
        Dataset train = read(CelebA.NAME, "train", 0);
        Dataset test = read(CelebA.NAME, "test", 0);
        assertEquals(6, train.size());
        assertEquals(3, test.size()); // images 3, 7, 11
        assertArrayEquals(kept(7), test.data(1).getRow(1).toFloatVector());
        assertEquals(1.0, channelMean(test, 0, 1), 0.02); // image 3 is white
    }

    @Test
    void limitKeepsTheFirstRows() {
        Dataset train = read(CelebA.NAME, "train", 2);
        assertEquals(2, train.size());
        assertArrayEquals(kept(1), train.data(1).getRow(1).toFloatVector());
    }

    @Test
    void celeba19HasOneBernoulliModalityPerAttribute() {
        Dataset train = read(CelebA.NAME_19, "train", 0);
        assertEquals(19, train.modalities().size());
        int smiling = train.indexOf("smiling");
        assertEquals(new Modality("smiling", Modality.Kind.ATTRIBUTES, new int[] {1}, LikelihoodKind.BERNOULLI),
                train.modalities().get(smiling));
        assertEquals(kept(5)[CelebA.ATTRIBUTES.indexOf("Smiling")], train.data(smiling).getFloat(3, 0));
        assertEquals("wearing_hat", train.modalities().get(18).name());
    }

    @Test
    void modalitiesAreKnownWithoutTheFiles() {
        DataSettings settings = new DataSettings(CelebA.NAME_19, "/nowhere", false, 10, 1, java.util.Map.of(),
                new CelebASettings(32, 0));
        List<Modality> modalities = Datasets.modalities(settings);
        assertEquals(Modality.image("image", 3, 32, 32, LikelihoodKind.BERNOULLI), modalities.get(0));
        assertEquals("bald", modalities.get(1).name());
    }

    @Test
    void visionTransformsOfCelebaAddOneModalityEach() {
        Path dir = CelebAFixtures.write(root.resolve("celeba"), 12);
        DataSettings settings = new DataSettings(CelebA.NAME, dir.toString(), false, 10, 1, java.util.Map.of(),
                new CelebASettings(SIDE, 0), MultiMnistSettings.DEFAULT, PolyMnistSettings.DEFAULT, MnistSvhnSettings.DEFAULT,
                List.of("grayscale", "edges"));
        Dataset d = new Datasets(DataFixtures.locator(null, root.resolve("home"), root.resolve("sys"))).open(settings, "train");
        assertEquals(List.of("image", "attributes", "grayscale", "edges"), d.modalities().stream().map(Modality::name).toList());
        assertArrayEquals(new int[] {1, SIDE, SIDE}, d.modalities().get(2).shape());
        java.awt.Color c = CelebAFixtures.colour(0); // a flat colour: its grey is its luminance, its edges none
        double grey = (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255;
        assertEquals(grey, d.data(2).getDouble(0, SIDE * SIDE / 2 + SIDE / 2), 0.03);
        assertEquals(0.0, d.data(3).getDouble(0, SIDE * SIDE / 2 + SIDE / 2), 0.03);
    }
}
