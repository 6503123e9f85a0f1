package chorus.tools.plots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingCurvesTest {

    @TempDir
    Path dir;

    private static final String TRAIN = "{\"type\":\"train\",\"step\":%d,\"loss\":%d,\"beta\":0.5,\"terms\":{\"kl[image]\":3}}";

    @Test
    void drawsAPanelPerKindOfSeriesAndSkipsATornLine() throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        Files.writeString(metrics, String.format(TRAIN, 10, 9) + "\n" + String.format(TRAIN, 20, 7) + "\n{\"type\":\"tr");
        var eval = new ObjectMapper().readTree("{\"type\":\"eval\",\"step\":20,\"loss\":8,\"terms\":{\"kl[image]\":2},"
                + "\"metrics\":{\"coherence[joint]\":0.5,\"frechet[prior->image]\":12}}");
        Path png = dir.resolve("curves.png");
        TrainingCurves.write(metrics, List.of(eval), png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * 680, image.getWidth());  // two columns
        assertEquals(3 * 360, image.getHeight()); // loss, KL, beta, metrics, Frechet: three rows
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
    }

    @Test
    void noMetricsFileAndNoRecordsWriteNothing() {
        Path png = dir.resolve("curves.png");
        TrainingCurves.write(dir.resolve("absent.jsonl"), List.of(), png);
        assertFalse(Files.exists(png));
    }
}
