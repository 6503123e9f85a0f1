package chorus.models.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.models.ModalitySettings;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.mmvae.MixtureEstimator;
import org.junit.jupiter.api.Test;

class PosteriorRuleTest {

    private static ModelSettings settings(Combination c, boolean includePrior) {
        return new ModelSettings(3, 0, c, 0, includePrior, MixtureEstimator.IWAE, 1, 1, 1e-3, new chorus.models.objective.KlAnnealing(0, 0.0), 1.0, 0.1, 10.0, java.util.List.of(8),
                ModelFixtures.MODALITIES.stream().map(ModalitySettings::defaults).toList());
    }

    @Test
    void mvaeAlwaysMultipliesInThePrior() {
        assertEquals(new PosteriorRule(Combination.POE, true), PosteriorRule.of(settings(Combination.POE, false)));
    }

    @Test
    void mopoeTakesThePriorAsConfigured() {
        assertEquals(new PosteriorRule(Combination.MOPOE, false), PosteriorRule.of(settings(Combination.MOPOE, false)));
        assertEquals(new PosteriorRule(Combination.MOPOE, true), PosteriorRule.of(settings(Combination.MOPOE, true)));
    }

    @Test
    void mmvaeMixes() {
        PosteriorRule moe = PosteriorRule.of(settings(Combination.MOE, true));
        assertEquals(Combination.MOE, moe.combination());
        assertEquals(false, moe.isProduct());
    }

    @Test
    void theConcatenatedModelsPosteriorIsItsEncoderWithoutThePrior() {
        PosteriorRule concat = PosteriorRule.of(settings(Combination.CONCAT, true));
        assertEquals(new PosteriorRule(Combination.CONCAT, false), concat);
        assertEquals(true, concat.isProduct());
    }
}
