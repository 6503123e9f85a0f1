package chorus.models;

import chorus.data.Batch;
import chorus.models.nn.Gradients;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.DecoderStage;
import chorus.models.objective.EncoderStage;
import chorus.models.objective.Objective;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole multimodal VAE step in one process and one thread: encoders, the objective's term stage,
 * decoders, and back. It is the oracle the actor system must match: for a batch, its masks and the
 * step's noise it returns the loss, every term, and every parameter gradient.
 */
public final class ReferenceModel {

    private ReferenceModel() {
    }

    /** The loss, every logged term, and dL/dθ per encoder and decoder ({@code [1, P]}; null for a network that did not run this step). */
    public record StepResult(double loss, List<TermValue> terms, List<INDArray> encoderGrads, List<INDArray> decoderGrads) {
    }

    /** Computes one step's loss and gradients without changing any parameter. */
    public static StepResult gradients(MultimodalVae model, Objective objective, Batch batch, double beta) {
        int m = model.modalities().size();
        List<EncoderStage> encoders = new ArrayList<>(m);
        List<Gaussian> experts = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            EncoderStage.Forward f = EncoderStage.forward(model.encoders().get(j), batch.tensors().get(j),
                    batch.presence().getColumn(j));
            encoders.add(f.stage());
            experts.add(f.expert());
        }
        TermStage stage = objective.forward(experts, batch.presence(), batch.step(), beta);
        Map<Integer, DecoderStage> decoders = new HashMap<>();
        Map<Integer, INDArray> logProbs = new HashMap<>();
        for (DecodeRequest req : stage.requests()) {
            int j = req.modality();
            DecoderStage d = DecoderStage.forward(model.decoders().get(j), model.likelihoods().get(j), req,
                    batch.tensors().get(j));
            decoders.put(j, d);
            logProbs.put(j, d.logProb());
        }
        Scored scored = stage.score(logProbs);
        List<INDArray> decoderGrads = nulls(m);
        Map<Integer, INDArray> dz = new HashMap<>();
        for (var e : decoders.entrySet()) {
            Gradients g = e.getValue().backward(scored.coefficients().get(e.getKey()));
            decoderGrads.set(e.getKey(), g.params());
            dz.put(e.getKey(), g.input());
        }
        List<GaussianGrad> expertGrads = stage.backward(dz);
        List<INDArray> encoderGrads = nulls(m);
        for (int j = 0; j < m; j++) {
            encoderGrads.set(j, encoders.get(j).backward(expertGrads.get(j)));
        }
        return new StepResult(scored.loss(), scored.terms(), encoderGrads, decoderGrads);
    }

    /** A forward-only step: the loss and every logged term. */
    public record Evaluated(double loss, List<TermValue> terms) {
    }

    /** The loss and terms of {@code batch} without gradients; no parameter or optimizer state changes. */
    public static Evaluated evaluate(MultimodalVae model, Objective objective, Batch batch, double beta) {
        int m = model.modalities().size();
        List<Gaussian> experts = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            EncoderStage.Forward f = EncoderStage.forward(model.encoders().get(j), batch.tensors().get(j),
                    batch.presence().getColumn(j));
            experts.add(f.expert());
            model.encoders().get(j).discardForward();
        }
        TermStage stage = objective.forward(experts, batch.presence(), batch.step(), beta);
        Map<Integer, INDArray> logProbs = new HashMap<>();
        for (DecodeRequest req : stage.requests()) {
            int j = req.modality();
            DecoderStage d = DecoderStage.forward(model.decoders().get(j), model.likelihoods().get(j), req,
                    batch.tensors().get(j));
            logProbs.put(j, d.logProb());
            model.decoders().get(j).discardForward();
        }
        Scored scored = stage.score(logProbs);
        return new Evaluated(scored.loss(), scored.terms());
    }

    /**
     * One optimizer step: {@link #gradients} then the updater of every network that ran (a network with
     * no rows this step takes no step, so Adam's moments do not move it).
     */
    public static StepResult train(MultimodalVae model, Objective objective, Batch batch, double beta, int iteration, int epoch) {
        StepResult r = gradients(model, objective, batch, beta);
        for (int j = 0; j < model.modalities().size(); j++) {
            if (r.encoderGrads().get(j) != null) {
                model.encoders().get(j).applyGradient(r.encoderGrads().get(j), iteration, epoch);
            }
            if (r.decoderGrads().get(j) != null) {
                model.decoders().get(j).applyGradient(r.decoderGrads().get(j), iteration, epoch);
            }
        }
        return r;
    }

    private static List<INDArray> nulls(int m) {
        List<INDArray> out = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            out.add(null);
        }
        return out;
    }
}
