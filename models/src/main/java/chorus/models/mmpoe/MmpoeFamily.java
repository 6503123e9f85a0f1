package chorus.models.mmpoe;

import chorus.data.Modality;
import chorus.models.ModelFamily;
import chorus.models.ModelSettings;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboPlan;
import chorus.models.privateshared.PrivateSharedObjective;
import java.util.List;
import java.util.function.LongFunction;

/**
 * MMPoE-VAE as the 3D-faces notes define it: q(zS, z_1, ..., z_M | X) = prod_m q_m(z_m | x_m) q(zS | X) with
 * q(zS | X) proportional to p(zS) prod_m q_m(zS | x_m) (a product of experts with the prior over the shared
 * part, each private part from its own modality's expert; decoder m reads (zS, z_m)). It is the
 * {@link PrivateSharedObjective} of {@code latent} shared and {@code private-latent} private dimensions with
 * one of two plans, selected by name:
 * <ul>
 *   <li>{@link #V1}: one loss, the joint ELBO over every observed modality;</li>
 *   <li>{@link #V2}: the joint ELBO plus each single modality's ELBO (MVAE's plan without random subsets).</li>
 * </ul>
 * With the same seed the two differ exactly by the single-modality terms (the joint term draws the same noise).
 */
public enum MmpoeFamily implements ModelFamily {

    /** The joint loss only. */
    V1 {
        @Override
        LongFunction<chorus.models.poe.ElboPlan> plans(List<Modality> modalities, long seed) {
            ElboPlan joint = ElboPlan.joint(modalities);
            return step -> joint;
        }
    },

    /** The joint loss and every single-modality loss. */
    V2 {
        @Override
        LongFunction<ElboPlan> plans(List<Modality> modalities, long seed) {
            return ElboPlan.mvaeSteps(modalities, 0, seed);
        }
    };

    /** The plan of every step. */
    abstract LongFunction<ElboPlan> plans(List<Modality> modalities, long seed);

    @Override
    public Objective objective(ModelSettings s, List<Modality> modalities, long seed) {
        return new PrivateSharedObjective(plans(modalities, seed), s.latent(), s.privateLatent(), s.lambdas(), seed);
    }

    @Override
    public boolean privateLatents() {
        return true;
    }
}
