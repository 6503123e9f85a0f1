package chorus.tools.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.data.DataSettings;
import chorus.data.Dataset;
import chorus.data.Datasets;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.evaluation.Generation;
import chorus.models.evaluation.PosteriorRule;
import chorus.tools.TinyRun;
import com.typesafe.config.Config;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class SampleGridsTest {

    @TempDir
    static Path shared;
    @TempDir
    Path dir;

    private static MultimodalVae model;
    private static ModelSettings settings;
    private static Dataset test;

    @BeforeAll
    static void trainedModel() {
        Config c = TinyRun.config(TinyRun.fashionMnist(shared.resolve("fashion-mnist")));
        test = Datasets.load(DataSettings.from(c), "test");
        settings = ModelSettings.from(c, test.modalities());
        model = TinyRun.train(c, 30).model();
    }

    @Test
    void writesTheThreeGridsOfTheStepWithAtMostAHundredImagesEach() throws IOException {
        List<Path> written = SampleGrids.write(model, settings, test, dir, 250);
        assertEquals(List.of(dir.resolve("step-250-reconstruction.png"), dir.resolve("step-250-label-to-image.png"),
                dir.resolve("step-250-prior.png")), written);
        assertSize(written.get(0), 10, 6, false); // 30 originals and 30 reconstructions
        assertSize(written.get(1), 10, 10, true); // a row per class
        assertSize(written.get(2), 8, 8, true);   // 64 prior samples
    }

    @Test
    void reconstructionRowsShowTestImagesAboveTheirReconstructions() throws IOException {
        BufferedImage img = ImageIO.read(SampleGrids.write(model, settings, test, dir, 1).get(0).toFile());
        Batch first = test.batch(0, java.util.stream.IntStream.range(0, 30).toArray());
        INDArray recon = Generation.reconstruct(model, PosteriorRule.of(settings), first).get(0);
        for (int row : new int[] {0, 13, 29}) {
            int cellX = (row % 10) * 58 + 1;
            int cellY = (row / 10) * 2 * 58 + 1;                  // a block: originals, then reconstructions
            for (int p : new int[] {0, 300, 615}) {
                int x = cellX + 2 * (p % 28);
                int y = cellY + 2 * (p / 28);
                assertEquals(level(first.tensors().get(0).getDouble(row, p)), img.getRGB(x, y) & 0xff, "original " + row);
                assertEquals(level(recon.getDouble(row, p)), img.getRGB(x, y + 58) & 0xff, "reconstruction " + row);
            }
        }
    }

    private static int level(double v) {
        return Math.max(0, Math.min(255, Math.round((float) v * 255f)));
    }

    private static void assertSize(Path png, int columns, int rows, boolean captions) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(columns * 58, img.getWidth(), png.toString());
        assertEquals(rows * (58 + (captions ? 12 : 0)), img.getHeight(), png.toString());
    }
}
