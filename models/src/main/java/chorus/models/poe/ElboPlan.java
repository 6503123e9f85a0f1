package chorus.models.poe;

import chorus.data.Modality;
import chorus.data.Seeds;
import chorus.models.posterior.Subsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ELBO terms of one step: T subsets whose product-of-experts posteriors are each scored on their
 * target modalities.
 *
 * @param subsets          {@code [T, M]} 0/1: the experts each term's posterior combines
 * @param targets          {@code [T, M]} 0/1: the modalities each term reconstructs
 * @param rule             which (term, row) pairs are defined, see {@link Subsets.Rule}
 * @param includePrior     whether the prior expert joins every product
 * @param averageOverTerms weight each defined (term, row) by 1/(defined terms of that row), as MoPoE's
 *                         mean over subsets; otherwise every term has weight 1 (MVAE's sum of ELBOs)
 * @param names            a readable name per term, e.g. {@code image+label}
 */
public record ElboPlan(INDArray subsets, INDArray targets, Subsets.Rule rule, boolean includePrior,
                       boolean averageOverTerms, List<String> names) {

    public ElboPlan {
        if (subsets.rank() != 2 || !java.util.Arrays.equals(subsets.shape(), targets.shape())) {
            throw new IllegalArgumentException("ELBO plan: subsets " + java.util.Arrays.toString(subsets.shape())
                    + " and targets " + java.util.Arrays.toString(targets.shape()) + ", expected both [T, M]");
        }
        if (names.size() != subsets.size(0)) {
            throw new IllegalArgumentException("ELBO plan: " + names.size() + " names for " + subsets.size(0) + " terms");
        }
        names = List.copyOf(names);
    }

    /** Number of terms T. */
    public int terms() {
        return (int) subsets.size(0);
    }

    /**
     * Weights {@code [T*B]} of every (term, row) pair, term-major: 0 where undefined, else 1 or 1/n_b.
     */
    public INDArray rowWeights(INDArray presence, DataType dtype) {
        INDArray valid = Subsets.validRows(subsets, presence, rule).castTo(dtype); // [T*B]
        if (!averageOverTerms) {
            return valid;
        }
        long b = presence.size(0);
        INDArray perRow = valid.reshape(terms(), b);                                // [T, B]
        INDArray count = perRow.sum(0);                                             // [B]
        INDArray safe = count.add(count.eq(0).castTo(dtype));                       // avoid 0/0
        return perRow.divRowVector(safe).reshape((long) terms() * b);               // [T*B]
    }

    /** The MVAE objective (Wu &amp; Goodman 2018): all modalities, each single one, and k random subsets. */
    public static ElboPlan mvae(List<Modality> modalities, int randomSubsets, long seed) {
        int m = modalities.size();
        INDArray s = randomSubsets > 0
                ? Subsets.stack(Subsets.all(m), Subsets.singles(m), Subsets.random(randomSubsets, m, seed))
                : Subsets.stack(Subsets.all(m), Subsets.singles(m));
        return new ElboPlan(s, s, Subsets.Rule.ANY_OBSERVED, true, false, names(s, modalities));
    }

    /** MVAE's plan of every step: {@link #mvae} with the random subsets of step s seeded by (seed, s). */
    public static LongFunction<ElboPlan> mvaeSteps(List<Modality> modalities, int randomSubsets, long seed) {
        return step -> mvae(modalities, randomSubsets, Seeds.derive(seed, step));
    }

    /** MoPoE's plan, the same at every step. */
    public static LongFunction<ElboPlan> mopoeSteps(List<Modality> modalities, boolean includePrior) {
        ElboPlan plan = mopoe(modalities, includePrior);
        return step -> plan;
    }

    /** One ELBO over all observed modalities (a PoE VAE without sub-sampling). */
    public static ElboPlan joint(List<Modality> modalities) {
        INDArray s = Subsets.all(modalities.size());
        return new ElboPlan(s, s, Subsets.Rule.ANY_OBSERVED, true, false, names(s, modalities));
    }

    /**
     * MoPoE (Sutter et al. 2021): the mean over every non-empty subset of the observed modalities of the
     * ELBO whose posterior is that subset's product of experts, reconstructing every observed modality.
     */
    public static ElboPlan mopoe(List<Modality> modalities, boolean includePrior) {
        int m = modalities.size();
        INDArray s = Subsets.allNonEmpty(m);
        INDArray targets = Nd4j.ones(DataType.DOUBLE, s.size(0), m);
        return new ElboPlan(s, targets, Subsets.Rule.ALL_OBSERVED, includePrior, true, names(s, modalities));
    }

    static List<String> names(INDArray subsets, List<Modality> modalities) {
        List<String> out = new ArrayList<>();
        for (int t = 0; t < subsets.size(0); t++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < modalities.size(); j++) {
                if (subsets.getDouble(t, j) > 0.5) {
                    sb.append(sb.length() == 0 ? "" : "+").append(modalities.get(j).name());
                }
            }
            out.add(sb.toString());
        }
        return out;
    }
}
