package chorus.actors;

import akka.actor.typed.ActorRef;
import chorus.data.Batch;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Objective;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The combiner's bookkeeping for one step: which replies are awaited, and what to send when they are
 * all in. Every handler returns true once the step is finished and reported.
 */
final class StepRun {

    /** The workers and settings every step of a combiner shares. */
    record Workers(List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                   Objective objective, int latent, DataType dtype, ActorRef<EncoderWorker.Expert> expertReplies,
                   ActorRef<DecoderWorker.Decoded> decodedReplies, ActorRef<EncoderWorker.Applied> appliedReplies) {
    }

    private final Workers w;
    private final Batch batch;
    private final double beta;
    private final int iteration;
    private final ActorRef<StepReport> replyTo;
    private final long started = System.nanoTime();
    private final List<Gaussian> experts;
    private final boolean[] encoded;
    private int awaitedExperts;
    private TermStage stage;
    private Scored scored;
    private final Map<Integer, INDArray> logProbs = new HashMap<>();
    private final Map<Integer, INDArray> dz = new HashMap<>();
    private final List<INDArray> encoderGrads;
    private final List<INDArray> decoderGrads;
    private int awaitedDecoders;
    private int awaitedApplied;

    StepRun(Workers w, Batch batch, double beta, int iteration, ActorRef<StepReport> replyTo) {
        this.w = w;
        this.batch = batch;
        this.beta = beta;
        this.iteration = iteration;
        this.replyTo = replyTo;
        int m = w.encoders().size();
        this.experts = new ArrayList<>(Collections.nCopies(m, null));
        this.encoded = new boolean[m];
        this.encoderGrads = new ArrayList<>(Collections.nCopies(m, null));
        this.decoderGrads = new ArrayList<>(Collections.nCopies(m, null));
    }

    /** Sends the batch to every encoder whose modality some row observes; the others get nothing. */
    boolean start() {
        int b = batch.size();
        for (int j = 0; j < w.encoders().size(); j++) {
            INDArray present = batch.presence().getColumn(j).dup(); // [B]
            if (present.sumNumber().doubleValue() > 0) {
                encoded[j] = true;
                awaitedExperts++;
                w.encoders().get(j).tell(new EncoderWorker.Encode(batch.step(), batch.tensors().get(j), present, w.expertReplies()));
            } else {
                experts.set(j, new Gaussian(Nd4j.zeros(w.dtype(), b, w.latent()), Nd4j.zeros(w.dtype(), b, w.latent())));
            }
        }
        if (awaitedExperts == 0) {
            throw new IllegalArgumentException("no row of batch " + batch.step() + " observes any modality");
        }
        return false;
    }

    boolean onExpert(EncoderWorker.Expert msg) {
        experts.set(msg.modality(), msg.expert());
        if (--awaitedExperts > 0) {
            return false;
        }
        stage = w.objective().forward(experts, batch.presence(), batch.step(), beta);
        for (DecodeRequest req : stage.requests()) {
            awaitedDecoders++;
            w.decoders().get(req.modality()).tell(new DecoderWorker.Decode(batch.step(), req,
                    batch.tensors().get(req.modality()), iteration, w.decodedReplies()));
        }
        return false;
    }

    boolean onDecoded(DecoderWorker.Decoded msg) {
        if (msg.dz() == null) {
            logProbs.put(msg.modality(), msg.logProb());
        } else {
            logProbs.putIfAbsent(msg.modality(), msg.logProb());
            dz.put(msg.modality(), msg.dz());
            decoderGrads.set(msg.modality(), msg.grad());
        }
        if (--awaitedDecoders > 0) {
            return false;
        }
        if (scored == null) {
            scored = stage.score(logProbs);
            if (!Double.isFinite(scored.loss())) {
                throw new Finite.NonFiniteException("loss is " + scored.loss() + " at step " + batch.step() + "; terms "
                        + scored.terms());
            }
            if (dz.isEmpty()) { // two-phase objective: send the coefficients now
                for (var e : scored.coefficients().entrySet()) {
                    awaitedDecoders++;
                    w.decoders().get(e.getKey()).tell(new DecoderWorker.Backprop(batch.step(), e.getValue(), w.decodedReplies()));
                }
                return false;
            }
        }
        List<GaussianGrad> grads = stage.backward(dz);
        for (int j = 0; j < grads.size(); j++) {
            if (encoded[j]) {
                awaitedApplied++;
                w.encoders().get(j).tell(new EncoderWorker.Backprop(batch.step(), grads.get(j), iteration, w.appliedReplies()));
            }
        }
        return false;
    }

    boolean onApplied(EncoderWorker.Applied msg) {
        encoderGrads.set(msg.worker().modality(), msg.grad());
        if (--awaitedApplied > 0) {
            return false;
        }
        replyTo.tell(new StepReport(batch.step(), scored.loss(), scored.terms(), encoderGrads, decoderGrads,
                System.nanoTime() - started));
        return true;
    }
}
