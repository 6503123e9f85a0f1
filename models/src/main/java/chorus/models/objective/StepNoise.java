package chorus.models.objective;

import chorus.data.Seeds;
import chorus.models.posterior.Noise;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one way an objective seeds its reparameterisation noise: eps is a function of (seed, stream, step)
 * alone, or of (seed, stream, step, part) when a step draws one matrix per part (per expert, per
 * modality), so every driver of a step (the reference model, the actor system, a resumed run) samples
 * the same z. The stream keeps the draws of different purposes apart under one model seed; each family
 * names its own (the ELBO family's {@code ElboObjective.STREAM}, MMVAE's stream 0, the private-shared
 * objective's shared and private streams).
 *
 * @param seed   the objective's noise seed
 * @param stream xor-ed into the seed before the step is derived (0: the seed itself)
 */
public record StepNoise(long seed, long stream) {

    /** eps {@code [rows, cols]} of {@code step}: {@code Noise.standardNormal(Seeds.derive(seed ^ stream, step))}. */
    public INDArray draw(long step, DataType dtype, int rows, int cols) {
        return Noise.standardNormal(stepSeed(step), dtype, rows, cols); // [rows, cols]
    }

    /**
     * eps {@code [rows, cols]} of part {@code part} (an expert, a modality) of {@code step}:
     * {@code Noise.standardNormal(Seeds.derive(Seeds.derive(seed ^ stream, step), part))}.
     */
    public INDArray draw(long step, int part, DataType dtype, int rows, int cols) {
        return Noise.standardNormal(Seeds.derive(stepSeed(step), part), dtype, rows, cols); // [rows, cols]
    }

    /** As {@link #draw(long, int, DataType, int, int)} but Laplace(0, 1) noise ({@code Noise.standardLaplace}). */
    public INDArray drawLaplace(long step, int part, DataType dtype, int rows, int cols) {
        return Noise.standardLaplace(Seeds.derive(stepSeed(step), part), dtype, rows, cols); // [rows, cols]
    }

    private long stepSeed(long step) {
        return Seeds.derive(seed ^ stream, step);
    }
}
