package chorus.models.mfm;

import chorus.data.Modality;
import chorus.data.config.Settings;
import chorus.models.ModelSettings;
import com.typesafe.config.Config;
import java.util.List;
import java.util.Set;

/**
 * MFM's own settings, {@code chorus.model.mfm} (read once per use from the model block {@link ModelSettings#config()};
 * the shared sizes are {@code latent} = dim F_y and {@code private-latent} = dim F_a(i)).
 *
 * @param label           the label modality Y that the discriminative head D(F_y) predicts and the multimodal encoder
 *                        does not read ({@code ""}: none, every modality is generated from (F_y, its own F_a))
 * @param mmdWeight       lambda, the weight of the MMD terms (one per factor)
 * @param kernel          the MMD's kernel
 * @param surrogateWeight the weight of the surrogate inference terms (each modality's encoder regressed onto F_y)
 */
public record MfmSettings(String label, double mmdWeight, MmdKernel kernel, double surrogateWeight) {

    private static final String PATH = "chorus.model.mfm";

    public MfmSettings {
        if (!(mmdWeight >= 0) || !(surrogateWeight >= 0) || Double.isInfinite(mmdWeight) || Double.isInfinite(surrogateWeight)) {
            throw new IllegalArgumentException("MFM weights: mmd " + mmdWeight + ", surrogate " + surrogateWeight
                    + ", expected finite numbers >= 0");
        }
    }

    /** The settings of a configured model. */
    public static MfmSettings of(ModelSettings s) {
        return from(s.config());
    }

    /** Reads {@code chorus.model.mfm} of a resolved config rooted at {@code chorus}. */
    public static MfmSettings from(Config root) {
        return new MfmSettings(Settings.string(root, PATH + ".label"),
                Settings.doubleIn(root, PATH + ".mmd-weight", 0, 1e6, false),
                Settings.enumValue(root, PATH + ".kernel", MmdKernel.class),
                Settings.doubleIn(root, PATH + ".surrogate-weight", 0, 1e6, false));
    }

    /**
     * Checks the settings against the data: a label that is a categorical modality, at least one other modality, and
     * private latents for the generative factors.
     */
    static void validate(Config root, List<Modality> modalities) {
        MfmSettings s = from(root);
        if (Settings.intIn(root, "chorus.model.private-latent", 0, 4096) == 0) {
            throw Settings.invalid(root, "chorus.model.private-latent", "0", "at least 1 with combination = mfm (the size of"
                    + " each modality-specific generative factor F_a)");
        }
        if (s.label.isEmpty()) {
            return;
        }
        Modality m = modalities.stream().filter(x -> x.name().equals(s.label)).findFirst().orElse(null);
        if (m == null || m.kind() != Modality.Kind.CATEGORICAL || modalities.size() < 2) {
            throw Settings.invalid(root, PATH + ".label", s.label, "\"\" or a categorical modality of the data beside at least one"
                    + " other; the data has " + modalities.stream().map(x -> x.name() + " (" + x.kind() + ")").toList());
        }
    }

    /** The modalities the head predicts and the multimodal encoder does not read: the label, or none. */
    public Set<String> heads() {
        return label.isEmpty() ? Set.of() : Set.of(label);
    }

    /** The index of the label among {@code modalities}, or -1 without one. */
    int labelIndex(List<Modality> modalities) {
        return label.isEmpty() ? -1 : Modality.indexOf(modalities, label, "the data");
    }
}
