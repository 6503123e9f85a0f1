package chorus.models;

import chorus.data.Batch;
import chorus.models.nn.Network;
import chorus.models.nn.cost.NetworkFlops;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Objective;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The network FLOPs of one training step (see {@link NetworkFlops} for what a layer costs): per modality,
 * encoder rows x encoder FLOPs/row x 3 plus decoder rows x decoder FLOPs/row x 3, with the rows the step
 * really sends — an encoder runs on the rows observing its modality, a decoder on the rows of the one fused
 * {@link DecodeRequest} the objective's plan sends it.
 *
 * <p>The decoder rows are found by asking the objective itself, which is the least invasive way to know
 * them for every plan (random subsets, mixtures with K samples, private latents): {@link #of} calls
 * {@link Objective#forward} on all-zero experts with the batch's presence and step, and reads the rows of
 * the requests. The rows depend only on the plan, the presence and the step, never on the experts' values,
 * and an objective keeps no state between calls (its noise and subsets are functions of the step), so this
 * changes nothing for the step that is then run. The objective's combinations (PoE over the batch) are
 * small next to the networks and are not counted.
 *
 * @param encoderRows rows each encoder runs on, in modality order
 * @param decoderRows rows each decoder runs on (0: no request), in modality order
 * @param flops       training FLOPs of every network of the step
 */
public record StepFlops(List<Integer> encoderRows, List<Integer> decoderRows, long flops) {

    public StepFlops {
        encoderRows = List.copyOf(encoderRows);
        decoderRows = List.copyOf(decoderRows);
    }

    /** The FLOPs of training {@code model} with {@code objective} on {@code batch} (the model's input form). */
    public static StepFlops of(MultimodalVae model, Objective objective, Batch batch) {
        int m = model.modalities().size();
        int b = batch.size();
        List<Gaussian> zeros = new ArrayList<>(m);
        List<Integer> encoderRows = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            Network encoder = model.encoders().get(j);
            INDArray z = Nd4j.zeros(encoder.dataType(), b, encoder.outputSize() / 2); // [B, D]
            zeros.add(new Gaussian(z, z.dup()));
            encoderRows.add(batch.presence().getColumn(j).sumNumber().intValue());
        }
        List<Integer> decoderRows = new ArrayList<>(Collections.nCopies(m, 0));
        for (DecodeRequest req : objective.forward(zeros, batch.presence(), batch.step(), 1.0).requests()) {
            decoderRows.set(req.modality(), decoderRows.get(req.modality()) + req.rows());
        }
        long flops = 0;
        for (int j = 0; j < m; j++) {
            flops += NetworkFlops.training(model.encoders().get(j), encoderRows.get(j));
            flops += NetworkFlops.training(model.decoders().get(j), decoderRows.get(j));
        }
        return new StepFlops(encoderRows, decoderRows, flops);
    }
}
