package chorus.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.celeba.CelebA;
import chorus.data.celeba.CelebAFixtures;
import chorus.data.config.ChorusConfig;
import chorus.models.ReferenceModel;
import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/experiments/celeba19-mvae.conf, shrunk, on a tiny generated CelebA: data show, training, evaluate. */
class CelebACommandsTest {

    private static final Path EXPERIMENT = Path.of("..", "conf", "experiments", "celeba19-mvae.conf");

    @TempDir
    static Path shared;

    private static Path data;

    @BeforeAll
    static void tinyCeleba() {
        data = CelebAFixtures.write(shared.resolve("celeba"), 24);
    }

    /** The experiment's overrides for a model small enough to train in seconds on 8x8 images. */
    private static Map<String, String> overrides() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("chorus.data.path", data.toString());
        o.put("chorus.data.batch-size", "6");
        o.put("chorus.data.celeba.image-size", "8");
        o.put("chorus.model.latent", "4");
        o.put("chorus.model.learning-rate", "1e-2");
        o.put("chorus.model.modalities.image.hidden", "[4, 4, 16]"); // two convolutions: the four need 32x32 or more
        o.put("chorus.model.modalities.image.strides", "[2, 2]");
        o.put("chorus.model.modalities.image.paddings", "[1, 1]");
        for (String a : CelebA.ATTRIBUTES) {
            o.put("chorus.model.modalities." + a.toLowerCase(Locale.ROOT) + ".hidden", "[8]");
        }
        return o;
    }

    private static Config config() {
        return ChorusConfig.load(EXPERIMENT, overrides());
    }

    private static List<String> cliOverrides() {
        List<String> args = new ArrayList<>();
        overrides().forEach((k, v) -> args.add("-D" + k + "=" + v));
        return args;
    }

    @Test
    void dataShowPrintsTheNineteenModalitiesAndWritesAGrid() {
        Path png = shared.resolve("grid.png");
        List<String> args = new ArrayList<>(List.of("data", "show", "celeba19", "--out", png.toString()));
        args.addAll(cliOverrides());
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rows: 12"), r.out());
        assertTrue(r.out().contains("image    image        shape [3, 8, 8]"), r.out());
        assertTrue(r.out().contains("wearing_hat attributes   shape [1]"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+smiling\\s+value 1 in \\d+ of 12 rows")), r.out());
        assertTrue(Files.exists(png));
    }

    @Test
    void theExperimentBuildsTheReferencesFourLayerImageNetworks() {
        Config c = ChorusConfig.load(EXPERIMENT, Map.of());
        var image = chorus.models.ModelSettings.from(c, CelebA.modalities(CelebA.NAME_19, 64)).modalities().get(0);
        assertEquals(chorus.models.nn.arch.ConvNetworks.MVAE_DEEP_HIDDEN, image.hidden());
        assertEquals(new chorus.models.nn.arch.ConvLayout(List.of(2, 2, 2, 1), List.of(1, 1, 1, 0)), image.conv());
    }

    @Test
    void theReferenceModelTrainsOnCeleba19WithAFiniteFallingLoss() {
        List<Double> losses = new ArrayList<>();
        TinyRun.train(config(), 30, r -> losses.add(r.loss()));
        assertTrue(losses.stream().allMatch(Double::isFinite), losses.toString());
        double first = (losses.get(0) + losses.get(1)) / 2;
        double last = (losses.get(28) + losses.get(29)) / 2;
        assertTrue(last < first, losses.toString());
    }

    @Test
    void evaluateSaysCoherenceDoesNotApplyWithoutALabel() {
        Path ckpt = TinyRun.checkpoint(shared.resolve("celeba19.ckpt"), config(), 4);
        CliRun r = CliRun.of("evaluate", ckpt.toString(), "--classifier-dir", shared.resolve("classifiers").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("test loss (negative ELBO, beta = 1) = "), r.out());
        assertEquals(1, r.out().lines().filter(l -> l.startsWith("coherence, latent-accuracy, frechet: skipped, celeba19 has"
                + " no class labels")).count(), r.out());
    }

    @Test
    void trainRunsTheActorPipelineOnCeleba19() {
        Path run = shared.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", EXPERIMENT.toString(), "--max-steps", "4", "--run-dir",
                run.toString(), "-Dchorus.train.eval-every=4", "-Dchorus.train.eval-limit=6"));
        args.addAll(cliOverrides());
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(Files.exists(run.resolve("samples/step-4-prior.png")), r.out());
    }
}
