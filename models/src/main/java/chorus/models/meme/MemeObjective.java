package chorus.models.meme;

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
 * MEME (Joy et al. 2022, ICLR, "Learning Multimodal VAEs through Mutual Supervision"): each modality's
 * posterior is the prior of the other's, and each modality's decoder supervises the other's encoder
 * ({@link MemeStage}); rows missing a modality train the other alone. The noise of expert s at step t is part s
 * of {@link StepNoise} stream {@link #STREAM}, {@code [(K+1)*B, D]}, a function of (seed, t) alone.
 */
public final class MemeObjective implements Objective {

    /** The noise stream of MEME's samples. */
    public static final long STREAM = 0x6d656d65L; // "meme"

    private final List<String> names;
    private final int samples;
    private final double supervision;
    private final double[] lambdas;
    private final StepNoise noise;
    private final double[][] frozen;

    private MemeObjective(MemeObjective base, double[][] frozen) {
        this.names = base.names;
        this.samples = base.samples;
        this.supervision = base.supervision;
        this.lambdas = base.lambdas;
        this.noise = base.noise;
        this.frozen = frozen;
    }

    /**
     * @param modalities  the modalities, in the order of the experts
     * @param samples     K: log q(t | s) averages K + 1 samples of q_s (the paper's code: 10 + the one decoded)
     * @param supervision c, the weight of log q(t | s) (the paper's code: 10)
     * @param lambdas     per-modality likelihood weights (1 in the paper)
     * @param seed        seeds the noise
     */
    public MemeObjective(List<Modality> modalities, int samples, double supervision, double[] lambdas, long seed) {
        if (modalities == null || modalities.size() < 2) {
            throw new IllegalArgumentException("modalities: " + modalities + ", expected at least two (MEME pairs them)");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples K: " + samples + ", expected at least 1");
        }
        Weights.nonNegative("MEME supervision weight", supervision);
        this.names = modalities.stream().map(Modality::name).toList();
        this.samples = samples;
        this.supervision = supervision;
        this.lambdas = Weights.lambdas(lambdas, modalities.size()).clone();
        this.noise = new StepNoise(seed, STREAM);
        this.frozen = null;
    }

    /**
     * Test hook for finite differences: the same objective, except that the weights w of the first step it scores
     * are kept and reused by every later step (MEME's gradient treats w as a constant, so only then is it the
     * gradient of the loss).
     */
    MemeObjective freezingWeights() {
        return new MemeObjective(this, new double[1][]);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        int m = names.size();
        Checks.onePerModality("experts", experts, names);
        Gaussian first = experts.get(0);
        int b = first.rows();
        List<INDArray> eps = new ArrayList<>(m);
        for (int s = 0; s < m; s++) {
            eps.add(noise.draw(step, s, first.dtype(), (samples + 1) * b, first.dim())); // [(K+1)*B, D]
        }
        double[][] mask = presence.castTo(DataType.DOUBLE).toDoubleMatrix();
        boolean[][] observed = new boolean[b][m];
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < m; j++) {
                observed[row][j] = mask[row][j] > 0.5;
            }
        }
        return new MemeStage(experts, observed, eps, beta, supervision, lambdas, names, frozen);
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }
}
