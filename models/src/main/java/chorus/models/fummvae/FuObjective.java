package chorus.models.fummvae;

import chorus.data.Modality;
import chorus.models.check.Checks;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.objective.Weights;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The factorised MMVAE of the seed notes ({@code m_infoNCE_naive}, "Factorized Training: Proposed Method"): two
 * unimodal VAEs, an MMVAE over both modalities, and per modality an {@link InfoNce} term between the MMVAE's
 * expert and the unimodal VAE's encoder, so that the MMVAE latent keeps what the modalities share and each
 * unimodal latent what is its own ({@link FuStage}). The experts arrive in {@link FuInput}'s order: the MMVAE's M
 * experts, then the M unimodal encoders. The noise of expert j at step t is part j of {@link StepNoise} stream
 * {@link #STREAM}, {@code [B, D]} (one sample per expert: the notes' K = 1), a function of (seed, t) alone.
 */
public final class FuObjective implements Objective {

    /** The noise stream of the factorised MMVAE's samples. */
    public static final long STREAM = 0x66756d6dL; // "fumm"

    private final List<String> names;
    private final double[] lambdas;
    private final double alpha;
    private final StepNoise noise;

    /**
     * @param data    the dataset's modalities (the MMVAE's), in order; the model adds their {@code -uni} copies
     * @param lambdas the MMVAE's per-modality likelihood weights (the notes' {@code llik_scaling}); the unimodal
     *                VAEs weigh their likelihood 1, as the notes' do
     * @param alpha   the weight of the InfoNCE terms (the notes: 1)
     * @param seed    seeds the noise
     */
    public FuObjective(List<Modality> data, double[] lambdas, double alpha, long seed) {
        this.names = FuInput.modalities(data).stream().map(Modality::name).toList();
        this.lambdas = Weights.lambdas(lambdas, data.size()).clone();
        this.alpha = Weights.nonNegative("InfoNCE weight alpha", alpha);
        this.noise = new StepNoise(seed, STREAM);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        Checks.onePerModality("experts", experts, names);
        Gaussian first = experts.get(0);
        List<INDArray> eps = new ArrayList<>(experts.size());
        for (int j = 0; j < experts.size(); j++) {
            eps.add(noise.draw(step, j, first.dtype(), first.rows(), first.dim())); // [B, D]
        }
        int m = lambdas.length;
        double[][] mask = presence.castTo(DataType.DOUBLE).toDoubleMatrix();
        boolean[][] observed = new boolean[first.rows()][m];
        for (int row = 0; row < observed.length; row++) {
            for (int j = 0; j < m; j++) {
                observed[row][j] = mask[row][j] > 0.5;
            }
        }
        return new FuStage(experts, observed, eps, beta, lambdas, alpha, names);
    }

    /** The MMVAE's lambdas, then 1 for every unimodal VAE. */
    @Override
    public double[] lambdas() {
        double[] out = new double[2 * lambdas.length];
        java.util.Arrays.fill(out, 1.0);
        System.arraycopy(lambdas, 0, out, 0, lambdas.length);
        return out;
    }
}
