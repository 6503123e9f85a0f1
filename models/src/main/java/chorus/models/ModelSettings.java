package chorus.models;

import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.data.config.SettingsException;
import chorus.models.concat.ConcatFamily;
import chorus.models.fummvae.FuFamily;
import chorus.models.joint.JointFamily;
import chorus.models.meme.MemeFamily;
import chorus.models.mfm.MfmFamily;
import chorus.models.mmpoe.MmpoeFamily;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.mmvae.MixtureFamily;
import chorus.models.mmvaeplus.PlusFamily;
import chorus.models.mvtcae.TcFamily;
import chorus.models.objective.KlAnnealing;
import chorus.models.poe.PoeFamily;
import chorus.models.privateshared.PrivateSharedFamily;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The model and objective of a run, read once from {@code chorus.model}.
 *
 * @param latent        latent dimensions D shared by every modality (with private latents: the shared part Ds)
 * @param privateLatent POE, MOPOE, MMVAEPLUS: latent dimensions Dp private to each modality, beside the shared ones
 *                      (0: none); every network's latent is then {@code latent + privateLatent}
 * @param combination   how experts combine: product (MVAE), mixture (MMVAE), mixture of products (MoPoE), or
 *                      CONCAT, the vanilla VAE on concatenated modalities (one encoder, no experts to combine)
 * @param randomSubsets MVAE: random subset ELBO terms per step, beside the joint and single terms
 * @param includePrior  MoPoE, MVTCAE: whether the prior expert joins each subset's product (MVAE always has it)
 * @param estimator     MMVAE: elbo, iwae or dreg
 * @param samples       MMVAE, MMVAE+: K samples per expert; MEME: K extra samples in log q(t | s)
 * @param seed          seeds weights, noise and random subsets
 * @param learningRate  Adam's step size
 * @param annealing     the KL weight beta per step: {@code kl-anneal} (linear or cyclical) over {@code kl-anneal-steps},
 *                      rising to {@code target-beta} (cyclical: over {@code kl-anneal-ratio} of each cycle)
 * @param auxPriorScale MMVAEPLUS: scale of the auxiliary Laplace prior r(w_m) of the modality-specific latents
 * @param tcAlpha       MVTCAE: the weight alpha of the conditional VIB terms against the VIB term, in [0, 1]
 * @param memeSupervision MEME: the weight c of log q(t | s), each modality's supervision of the other
 * @param concatHidden  CONCAT: hidden sizes of its one MLP encoder and decoder
 * @param modalities    per-modality settings, in the dataset's modality order
 * @param alpha         JMVAE: the weight of sum_m KL(q(z | X) || q_m(z | x_m)); FUMMVAE: the weight of the InfoNCE terms
 * @param config        the resolved {@code chorus.model} block (rooted at {@code chorus}), from which a family reads
 *                      keys of its own (MFM: {@code chorus.model.mfm}, {@code chorus.models.mfm.MfmSettings})
 */
public record ModelSettings(int latent, int privateLatent, Combination combination, int randomSubsets,
                            boolean includePrior, MixtureEstimator estimator, int samples, long seed, double learningRate,
                            KlAnnealing annealing, double auxPriorScale, double tcAlpha, double memeSupervision, List<Integer> concatHidden, List<ModalitySettings> modalities,
                            double alpha, Config config) {

    /**
     * How the experts of a subset combine into a posterior (or CONCAT, the model that has no experts), and
     * the registry of model families: each constant is a config name ({@code chorus.model.combination}, in
     * lower case) and the {@link ModelFamily} it builds. Adding a model is its package plus one line here.
     */
    public enum Combination {
        POE(PrivateSharedFamily.over(PoeFamily.MVAE)),
        MOE(MixtureFamily.MMVAE),
        MOPOE(PrivateSharedFamily.over(PoeFamily.MOPOE)),
        MMVAEPLUS(PlusFamily.MMVAE_PLUS),
        MVTCAE(TcFamily.MVTCAE),
        MEME(MemeFamily.MEME),
        CONCAT(ConcatFamily.VAE),
        MMPOE_V1(MmpoeFamily.V1),
        MMPOE_V2(MmpoeFamily.V2),
        JMVAE(JointFamily.JMVAE),
        TELBO(JointFamily.TELBO),
        MUMO(JointFamily.MUMO),
        MFM(MfmFamily.MFM),
        FUMMVAE(FuFamily.FUMMVAE);

        private final ModelFamily family;

        Combination(ModelFamily family) {
            this.family = family;
        }

        /** The family's networks, objective and input. */
        public ModelFamily family() {
            return family;
        }
    }

    public ModelSettings {
        concatHidden = List.copyOf(concatHidden);
        modalities = List.copyOf(modalities);
        config = config.withOnlyPath("chorus.model");
    }

    /** The settings with the defaults of every family's own keys ({@code conf/reference.conf}). */
    public ModelSettings(int latent, int privateLatent, Combination combination, int randomSubsets,
                         boolean includePrior, MixtureEstimator estimator, int samples, long seed, double learningRate,
                         KlAnnealing annealing, double auxPriorScale, double tcAlpha, double memeSupervision,
                         List<Integer> concatHidden, List<ModalitySettings> modalities, double alpha) {
        this(latent, privateLatent, combination, randomSubsets, includePrior, estimator, samples, seed, learningRate,
                annealing, auxPriorScale, tcAlpha, memeSupervision, concatHidden, modalities, alpha,
                chorus.data.config.ChorusConfig.load(null, java.util.Map.of()));
    }

    /** The settings with JMVAE's alpha at 1 (for models that do not read it). */
    public ModelSettings(int latent, int privateLatent, Combination combination, int randomSubsets,
                         boolean includePrior, MixtureEstimator estimator, int samples, long seed, double learningRate,
                         KlAnnealing annealing, double auxPriorScale, double tcAlpha, double memeSupervision,
                         List<Integer> concatHidden, List<ModalitySettings> modalities) {
        this(latent, privateLatent, combination, randomSubsets, includePrior, estimator, samples, seed, learningRate,
                annealing, auxPriorScale, tcAlpha, memeSupervision, concatHidden, modalities, 1.0);
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
        Combination combination = Settings.enumValue(root, p + ".combination", Combination.class);
        int privateLatent = Settings.intIn(root, p + ".private-latent", 0, 4096);
        if (privateLatent > 0 && !combination.family().privateLatents()) {
            throw Settings.invalid(root, p + ".private-latent", String.valueOf(privateLatent), "0 with combination = "
                    + kebab(combination) + " (private latents are built for poe, mopoe, mmpoe-v1, mmpoe-v2, mumo and mfm)");
        }
        combination.family().validate(root, p + ".modalities", dataModalities);
        return new ModelSettings(
                Settings.intIn(root, p + ".latent", 1, 4096),
                privateLatent,
                combination,
                Settings.intIn(root, p + ".random-subsets", 0, 1000),
                Settings.bool(root, p + ".include-prior"),
                Settings.enumValue(root, p + ".estimator", MixtureEstimator.class),
                Settings.intIn(root, p + ".samples", 1, 10000),
                Settings.longValue(root, p + ".seed"),
                Settings.doubleIn(root, p + ".learning-rate", 1e-12, 10, false),
                annealing(root, p),
                Settings.doubleIn(root, p + ".aux-prior-scale", 1e-6, 1e6, false),
                Settings.doubleIn(root, p + ".tc-alpha", 0, 1, false),
                Settings.doubleIn(root, p + ".meme-supervision", 0, 1e6, false),
                Settings.positiveInts(root, p + ".concat-hidden"),
                mods,
                Settings.doubleIn(root, p + ".alpha", 0, 1e6, true),
                root);
    }

    /** {@code kl-anneal}, {@code kl-anneal-steps}, {@code kl-anneal-ratio} and {@code target-beta}; beta starts at 0. */
    private static KlAnnealing annealing(Config root, String p) {
        KlAnnealing.Schedule schedule = Settings.enumValue(root, p + ".kl-anneal", KlAnnealing.Schedule.class);
        long steps = Settings.longValue(root, p + ".kl-anneal-steps");
        if (steps < 0) {
            throw Settings.invalid(root, p + ".kl-anneal-steps", String.valueOf(steps), "a whole number >= 0 (0: no annealing)");
        }
        double target = Settings.doubleIn(root, p + ".target-beta", 0, 1e6, false);
        double ratio = Settings.doubleIn(root, p + ".kl-anneal-ratio", 0, 1, false);
        if (ratio == 0) {
            throw Settings.invalid(root, p + ".kl-anneal-ratio", "0", "a fraction in (0, 1] of each cycle spent rising");
        }
        return new KlAnnealing(schedule, steps, 0.0, target, ratio);
    }

    /** The lambdas in modality order. */
    public double[] lambdas() {
        return modalities.stream().mapToDouble(ModalitySettings::weight).toArray();
    }

    /** The latent every network has: the shared dimensions plus the private ones. */
    public int networkLatent() {
        return latent + privateLatent;
    }

    /** One line for logs and headers, e.g. {@code poe, latent 64} or {@code poe, latent 64 shared + 16 private}. */
    public String describe() {
        return kebab(combination) + ", latent " + latent + (privateLatent > 0 ? " shared + " + privateLatent + " private" : "");
    }

    private static String kebab(Combination c) {
        return c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
