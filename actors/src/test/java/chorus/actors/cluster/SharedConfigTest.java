package chorus.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys every node of a cluster run must agree on, and how a difference is told. */
class SharedConfigTest {

    private static SharedConfig of(String conf) {
        Config c = ConfigFactory.parseString(conf).withFallback(ConfigFactory.defaultReference()).resolve();
        return SharedConfig.of(c);
    }

    @Test
    void whereANodeRunsAndWhatOnlyTheCoordinatorReadsDoNotCount() {
        SharedConfig base = of("");
        SharedConfig elsewhere = of("chorus.cluster { role = gpu, port = 2600, hostname = \"10.0.0.9\" }\n"
                + "chorus.data { path = \"/tmp/x\", batch-size = 7, seed = 9 }\nchorus.train.max-steps = 5\n"
                + "chorus.workers.image.replicas = 2\nchorus.intra-op-threads = 3");
        assertEquals(List.of(), base.differences(elsewhere, "there"));
        assertEquals(base.digest(), elsewhere.digest());
    }

    @Test
    void theModelTheOptimiserAndTheInputsCount() {
        SharedConfig base = of("");
        for (String key : List.of("chorus.model.learning-rate = 0.5", "chorus.model.seed = 2",
                "chorus.model.modalities.image.arch = conv", "chorus.data.dataset = mnist",
                "chorus.data.celeba.image-size = 32", "chorus.model.estimator = dreg")) {
            SharedConfig other = of(key);
            assertNotEquals(base.digest(), other.digest(), key);
            assertEquals(1, base.differences(other, "there").size(), key);
        }
    }

    @Test
    void valuesCompareAsTheSettingsReadThemNotAsWritten() {
        SharedConfig a = of("chorus.model { learning-rate = 1e-2, latent = 64, modalities.image.hidden = [512, 256] }");
        SharedConfig b = of("chorus.model { learning-rate = \"0.010\", latent = \"64\","
                + " modalities.image.hidden = [\"512\", 256.0] }");
        assertEquals(List.of(), a.differences(b, "there"));
        assertEquals(a.digest(), b.digest());
    }

    @Test
    void aDifferenceNamesTheKeyAndBothValuesAndAKeyOneSideLacks() {
        SharedConfig here = of("chorus.model.learning-rate = 0.01");
        SharedConfig there = of("chorus.model.modalities.image.weight = 2");
        List<String> d = here.differences(there, "the coordinator");
        assertTrue(d.contains("chorus.model.learning-rate = 0.01 here, 0.001 on the coordinator"), d.toString());
        assertTrue(d.contains("chorus.model.modalities.image.weight = absent here, 2 on the coordinator"), d.toString());
        assertEquals(2, d.size(), d.toString());
    }
}
