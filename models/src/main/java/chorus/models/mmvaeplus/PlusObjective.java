package chorus.models.mmvaeplus;

import chorus.data.Modality;
import chorus.models.check.Checks;
import chorus.models.mmvae.MixtureEstimator;
import chorus.models.objective.Objective;
import chorus.models.objective.StepNoise;
import chorus.models.objective.TermStage;
import chorus.models.objective.Weights;
import chorus.models.posterior.Gaussian;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * MMVAE+ (Palumbo et al. 2023, "MMVAE+: Enhancing the Generative Quality of Multimodal VAEs without
 * Compromises"): a shared z of Dz dimensions mixed over the unimodal experts as in MMVAE, plus a
 * modality-specific w_m of Dw dimensions per modality, Laplace posteriors and prior, and an auxiliary prior
 * r_n(w_n) = Laplace(0, auxScale) that stands in for w_n when modality n is reconstructed from another's z.
 * See {@link PlusStage} for the loss.
 *
 * <p>Noise of step s: expert m's Laplace(0, 1) draw {@code [K*B, Dz+Dw]} is part m of {@link StepNoise}
 * stream 0; the auxiliary draw for (m, n != m) {@code [K*B, Dw]} is part m*M + n of stream {@link #AUX_STREAM};
 * both functions of (seed, s) alone, so every driver of the step samples the same u.
 */
public final class PlusObjective implements Objective {

    /** The noise stream of the auxiliary-prior draws. */
    public static final long AUX_STREAM = 0x6d6d7661652bL; // "mmvae+"

    private final List<String> names;
    private final int samples;
    private final int privateDim;
    private final double auxScale;
    private final MixtureEstimator estimator;
    private final double[] lambdas;
    private final StepNoise noise;
    private final StepNoise auxNoise;

    /**
     * @param modalities the modalities, in the order of the experts
     * @param samples    K samples per expert and data row
     * @param privateDim Dw, the modality-specific columns at the end of every expert (0: MMVAE with Laplace latents)
     * @param auxScale   the scale of the auxiliary prior r(w) (the paper initialises its learned scale at 1)
     * @param estimator  IWAE, DREG (the paper's) or the stratified ELBO
     * @param lambdas    per-modality likelihood weights
     * @param seed       seeds the noise
     */
    public PlusObjective(List<Modality> modalities, int samples, int privateDim, double auxScale, MixtureEstimator estimator,
                         double[] lambdas, long seed) {
        if (modalities == null || modalities.isEmpty()) {
            throw new IllegalArgumentException("modalities: " + modalities + ", expected at least one");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("samples K: " + samples + ", expected at least 1");
        }
        if (privateDim < 0) {
            throw new IllegalArgumentException("modality-specific latent Dw: " + privateDim + ", expected >= 0");
        }
        if (!(auxScale > 0) || Double.isInfinite(auxScale)) {
            throw new IllegalArgumentException("auxiliary prior scale: " + auxScale + ", expected a finite number > 0");
        }
        this.names = modalities.stream().map(Modality::name).toList();
        this.samples = samples;
        this.privateDim = privateDim;
        this.auxScale = auxScale;
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.lambdas = Weights.lambdas(lambdas, modalities.size()).clone();
        this.noise = new StepNoise(seed, 0);
        this.auxNoise = new StepNoise(seed, AUX_STREAM);
    }

    @Override
    public TermStage forward(List<Gaussian> experts, INDArray presence, long step, double beta) {
        int m = names.size();
        Checks.onePerModality("experts", experts, names);
        Gaussian first = experts.get(0);
        int b = first.rows();
        int d = first.dim();
        if (privateDim >= d) {
            throw new IllegalArgumentException("experts of " + d + " latent columns with " + privateDim
                    + " modality-specific ones, expected at least one shared column");
        }
        if (presence.rank() != 2 || presence.size(0) != b || presence.size(1) != m) {
            throw new IllegalArgumentException("presence: shape " + java.util.Arrays.toString(presence.shape())
                    + ", expected [" + b + ", " + m + "]");
        }
        double[][] eps = new double[m][];
        double[][] aux = new double[m * m][];
        for (int j = 0; j < m; j++) {
            eps[j] = noise.drawLaplace(step, j, DataType.DOUBLE, samples * b, d).data().asDouble(); // [K*B, D]
            for (int n = 0; n < m && privateDim > 0; n++) {
                if (n != j) {
                    aux[j * m + n] = auxNoise.drawLaplace(step, j * m + n, DataType.DOUBLE, samples * b, privateDim)
                            .data().asDouble();                                                     // [K*B, Dw]
                }
            }
        }
        double[][] mask = presence.castTo(DataType.DOUBLE).toDoubleMatrix();
        boolean[][] observed = new boolean[b][m];
        for (int row = 0; row < b; row++) {
            for (int j = 0; j < m; j++) {
                observed[row][j] = mask[row][j] > 0.5;
            }
        }
        PlusLatents latents = new PlusLatents(PlusStage.columns(experts, false), PlusStage.columns(experts, true),
                eps, observed, samples, d - privateDim);
        return new PlusStage(latents, aux, auxScale, estimator, beta, lambdas, names, first.dtype());
    }

    @Override
    public double[] lambdas() {
        return lambdas.clone();
    }
}
