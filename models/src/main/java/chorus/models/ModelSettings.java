package chorus.models;

import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.objective.MixtureEstimator;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The model and objective of a run, read once from {@code chorus.model}.
 *
 * @param latent        latent dimensions D
 * @param combination   how experts combine: product (MVAE), mixture (MMVAE), mixture of products (MoPoE)
 * @param randomSubsets MVAE: random subset ELBO terms per step, beside the joint and single terms
 * @param includePrior  MoPoE: whether the prior expert joins each subset's product (MVAE always has it)
 * @param estimator     MMVAE: elbo, iwae or dreg
 * @param samples       MMVAE: K samples per expert
 * @param seed          seeds weights, noise and random subsets
 * @param learningRate  Adam's step size
 * @param klAnnealSteps steps over which beta rises linearly to 1 (0: beta = 1 throughout)
 * @param modalities    per-modality settings, in the dataset's modality order
 */
public record ModelSettings(int latent, Combination combination, int randomSubsets, boolean includePrior,
                            MixtureEstimator estimator, int samples, long seed, double learningRate, long klAnnealSteps,
                            List<ModalitySettings> modalities) {

    /** How the experts of a subset combine into a posterior. */
    public enum Combination { POE, MOE, MOPOE }

    public ModelSettings {
        modalities = List.copyOf(modalities);
    }

    /** Reads {@code chorus.model} for the given modalities (entries for other names are an error). */
    public static ModelSettings from(Config root, List<Modality> dataModalities) {
        String p = "chorus.model";
        if (root.hasPath(p + ".modalities")) {
            List<String> names = dataModalities.stream().map(Modality::name).toList();
            for (String key : root.getConfig(p + ".modalities").root().keySet()) {
                if (!names.contains(key)) {
                    throw new SettingsException(p + ".modalities." + key + " (" + Settings.origin(root, p + ".modalities." + key)
                            + "): the dataset has no modality '" + key + "'; it has " + names);
                }
            }
        }
        List<ModalitySettings> mods = new ArrayList<>();
        for (Modality m : dataModalities) {
            mods.add(ModalitySettings.from(root, p + ".modalities", m));
        }
        return new ModelSettings(
                Settings.intIn(root, p + ".latent", 1, 4096),
                Settings.enumValue(root, p + ".combination", Combination.class),
                Settings.intIn(root, p + ".random-subsets", 0, 1000),
                Settings.bool(root, p + ".include-prior"),
                Settings.enumValue(root, p + ".estimator", MixtureEstimator.class),
                Settings.intIn(root, p + ".samples", 1, 10000),
                Settings.longValue(root, p + ".seed"),
                Settings.doubleIn(root, p + ".learning-rate", 1e-12, 10, false),
                Settings.longValue(root, p + ".kl-anneal-steps"),
                mods);
    }

    /** The lambdas in modality order. */
    public double[] lambdas() {
        return modalities.stream().mapToDouble(ModalitySettings::weight).toArray();
    }
}
