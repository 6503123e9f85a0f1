package chorus.models.joint;

import chorus.data.Modality;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The objectives of the joint-encoder models over the model's modalities (the dataset's M, then
 * {@link JointInput#NAME}): a list of single-expert {@link Term}s, and for JMVAE-kl the KL terms of
 * {@link JmvaeStage}. Noise of term t at step s is {@code StepNoise(seed, STREAM).draw(s, t, ...)}, a
 * function of (seed, s, t) alone.
 */
public final class JointObjective implements Objective {

    /** The noise stream of the joint-encoder family. */
    public static final long STREAM = 0x701E_7E5C_0DE5L;

    private final List<Term> terms;
    private final double[] lambdas;
    private final List<String> names;
    private final double alpha;   // < 0: no JMVAE KL terms
    private final StepNoise noise;

    private JointObjective(List<Term> terms, double[] lambdas, List<String> names, double alpha, long seed) {
        this.terms = List.copyOf(terms);
        this.lambdas = lambdas.clone();
        this.names = List.copyOf(names);
        this.alpha = alpha;
        this.noise = new StepNoise(seed, STREAM);
    }

    /**
     * JMVAE-kl (Suzuki et al. 2016): the joint ELBO of q(z | X) reconstructing every modality, plus
     * {@code alpha} sum_m KL(q(z | X) || q_m(z | x_m)).
     *
     * @param modalities the dataset's M modalities
     * @param latent     D, the latent of every encoder and decoder
     * @param lambdas    the M likelihood weights
     */
    public static JointObjective jmvae(List<Modality> modalities, int latent, double[] lambdas, double alpha, long seed) {
        int m = modalities.size();
        Term joint = Term.whole(JointInput.NAME, m, Term.range(0, m), latent);
        return new JointObjective(List.of(joint), withJoint(lambdas, m), names(modalities), alpha, seed);
    }

    /**
     * MuMo-VAE: three VAE losses over a shared part zS (Ds) and a private part per modality (Dp). Each
     * unimodal encoder q_m(zS, z_m | x_m) reconstructs its own modality, p_m(x_m | zS, z_m); the joint encoder
     * q(zS, z_1, ..., z_M | X) reconstructs every modality, decoder m reading (zS, z_m) of the joint sample.
     */
    public static JointObjective mumo(List<Modality> modalities, int shared, int priv, double[] lambdas, long seed) {
        int m = modalities.size();
        List<Term> terms = new ArrayList<>();
        for (int j = 0; j < m; j++) {
            terms.add(Term.whole(modalities.get(j).name(), j, new int[] {j}, shared + priv));
        }
        int[][] columns = new int[m][];
        for (int j = 0; j < m; j++) {
            int[] own = new int[shared + priv];
            for (int c = 0; c < own.length; c++) {
                own[c] = c < shared ? c : shared + j * priv + (c - shared); // (zS, z_j) of (zS, z_1, ..., z_M)
            }
            columns[j] = own;
        }
        terms.add(new Term(JointInput.NAME, m, Term.range(0, m), columns));
        return new JointObjective(terms, withJoint(lambdas, m), names(modalities), -1, seed);
    }

    /**
     * TELBO (Vedantam et al. 2018, "Generative Models of Visually Grounded Imagination", the triple ELBO): the
     * joint ELBO of q(z | X) reconstructing every modality, plus each single-modality ELBO of q_m(z | x_m)
     * reconstructing x_m with the decoders held fixed, so the single terms train only the unimodal encoders.
     * Each single term weighs its modality's likelihood by that modality's lambda, as the joint term does.
     */
    public static JointObjective telbo(List<Modality> modalities, int latent, double[] lambdas, long seed) {
        int m = modalities.size();
        List<Term> terms = new ArrayList<>();
        terms.add(Term.whole(JointInput.NAME, m, Term.range(0, m), latent));
        for (int j = 0; j < m; j++) {
            terms.add(Term.whole(modalities.get(j).name(), j, new int[] {j}, latent).heldDecoders());
        }
        return new JointObjective(terms, withJoint(lambdas, m), names(modalities), -1, seed);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        int b = (int) presence.size(0);
        List<INDArray> eps = new ArrayList<>();
        for (int t = 0; t < terms.size(); t++) {
            Gaussian q = experts.get(terms.get(t).expert());
            eps.add(noise.draw(step, t, q.dtype(), b, q.dim()));                        // [B, D_e]
        }
        TermsStage stage = TermsStage.forward(experts, presence, terms, eps, beta, lambdas);
        return alpha < 0 ? stage : JmvaeStage.forward(stage, experts, presence, names, alpha);
    }

    /** The M lambdas, then 0 for the joint modality (nothing reconstructs it). */
    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }

    private static double[] withJoint(double[] lambdas, int m) {
        if (lambdas.length != m) {
            throw new IllegalArgumentException("lambdas: " + lambdas.length + " weights for " + m
                    + " modalities, expected one per modality");
        }
        double[] out = java.util.Arrays.copyOf(lambdas, m + 1);
        out[m] = 0.0;
        return out;
    }

    private static List<String> names(List<Modality> modalities) {
        return modalities.stream().map(Modality::name).toList();
    }
}
