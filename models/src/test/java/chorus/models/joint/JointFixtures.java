package chorus.models.joint;

import chorus.data.Batch;
import chorus.models.ModalitySettings;
import chorus.models.ModelFactory;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.nn.arch.Architecture;
import chorus.models.objective.Objective;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Tiny models of the families built on {@link ModelFixtures}' three modalities, through the registry as
 * {@code chorus train} builds them: hidden width 5, joint encoder MLP [6], shared latent 2, private 1.
 */
public final class JointFixtures {

    private JointFixtures() {
    }

    /** The settings of {@code combination} (lambdas 1, 2, 0.5; alpha 0.7; private latent {@code priv}). */
    public static ModelSettings settings(ModelSettings.Combination combination, int priv, long seed) {
        double[] lambdas = {1.0, 2.0, 0.5};
        List<ModalitySettings> mods = new java.util.ArrayList<>();
        for (int j = 0; j < 3; j++) {
            var m = ModelFixtures.MODALITIES.get(j);
            Architecture a = j == 1 ? Architecture.EMBEDDING : Architecture.MLP;
            mods.add(new ModalitySettings(a, List.of(5), lambdas[j], m.likelihood(), 0.5));
        }
        return new ModelSettings(2, priv, combination, 0, false, MixtureEstimator.ELBO, 1, seed, 1e-3,
                new chorus.models.objective.KlAnnealing(0, 0.0), 1.0, 0.1, 10.0, List.of(6), mods, 0.7);
    }

    /** A fresh double-precision model of the settings. */
    public static MultimodalVae model(ModelSettings s) {
        return ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.DOUBLE);
    }

    /** The settings' objective. */
    public static Objective objective(ModelSettings s) {
        return ModelFactory.objective(s, ModelFixtures.MODALITIES);
    }

    /** A batch of {@link ModelFixtures#batch} as the family's input (with the joint modality where it has one). */
    public static Batch batch(ModelSettings s, long step, double[][] presence) {
        return ModelFactory.input(s).apply(ModelFixtures.batch(step, 4, DataType.DOUBLE, presence));
    }
}
