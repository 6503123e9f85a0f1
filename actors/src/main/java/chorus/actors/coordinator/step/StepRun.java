package chorus.actors.coordinator.step;

import akka.actor.typed.ActorRef;
import chorus.actors.workers.DecoderWorker;
import chorus.actors.workers.EncoderWorker;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerProtocol;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The combiner's bookkeeping for one step: which replies are awaited, and what to send when they are
 * all in. The phases: encode → combine and decode (one fused request per decoder) → backpropagate into
 * the experts → commit (every worker applies its update) → report. A worker failure before the commit
 * aborts the attempt everywhere and runs the step again from its start: nothing was applied, so the
 * retry computes exactly what the failed attempt would have. Every handler returns true once the step
 * is finished (reported or failed).
 */
public final class StepRun {

    /** The workers and settings every step of a combiner shares. */
    public record Workers(List<ActorRef<EncoderWorker.Command>> encoders, List<ActorRef<DecoderWorker.Command>> decoders,
                   Objective objective, int latent, DataType dtype, int maxRetries,
                   ActorRef<WorkerProtocol.Reply> replies) {

        /** The same settings with other workers (a worker node replaced a lost one). */
        public Workers with(List<ActorRef<EncoderWorker.Command>> enc, List<ActorRef<DecoderWorker.Command>> dec) {
            return new Workers(enc, dec, objective, latent, dtype, maxRetries, replies);
        }
    }

    private final Workers w;
    private final Batch batch;
    private final double beta;
    private final int iteration;
    private final ActorRef<StepOutcome> replyTo;
    private final long started = System.nanoTime();
    private final int m;
    private int attempt;
    private long combinerNanos;
    private boolean failed;

    // state of the current attempt
    private List<Gaussian> experts;
    private boolean[] encoded;
    private int awaitedExperts;
    private TermStage stage;
    private Scored scored;
    private Map<Integer, INDArray> logProbs;
    private Map<Integer, INDArray> dz;
    private boolean awaitingCoefficients; // some decoder answered with its log-likelihoods only (two-phase objective)
    private List<INDArray> encoderGrads;
    private List<INDArray> decoderGrads;
    private int awaitedDecoders;
    private int awaitedComputed;
    private int awaitedApplied;
    private final Map<WorkerId, Long> staleness = new LinkedHashMap<>();
    private final Map<WorkerId, Long> busy = new LinkedHashMap<>();

    public StepRun(Workers w, Batch batch, double beta, int iteration, ActorRef<StepOutcome> replyTo) {
        this.w = w;
        this.batch = batch;
        this.beta = beta;
        this.iteration = iteration;
        this.replyTo = replyTo;
        this.m = w.encoders().size();
    }

    /** The attempt whose replies count; replies of earlier attempts are stale. */
    public int attempt() {
        return attempt;
    }

    /** Sends the batch to every encoder whose modality some row observes; the others get nothing. */
    public boolean start() {
        experts = new ArrayList<>(Collections.nCopies(m, null));
        encoded = new boolean[m];
        logProbs = new HashMap<>();
        dz = new HashMap<>();
        encoderGrads = new ArrayList<>(Collections.nCopies(m, null));
        decoderGrads = new ArrayList<>(Collections.nCopies(m, null));
        stage = null;
        scored = null;
        awaitingCoefficients = false;
        awaitedExperts = awaitedDecoders = awaitedComputed = awaitedApplied = 0;
        int b = batch.size();
        for (int j = 0; j < m; j++) {
            INDArray present = batch.presence().getColumn(j).dup(); // [B]
            if (present.sumNumber().doubleValue() > 0) {
                encoded[j] = true;
                awaitedExperts++;
                w.encoders().get(j).tell(new EncoderWorker.Encode(batch.step(), attempt, batch.tensors().get(j), present,
                        w.replies()));
            } else {
                experts.set(j, new Gaussian(Nd4j.zeros(w.dtype(), b, w.latent()), Nd4j.zeros(w.dtype(), b, w.latent())));
            }
        }
        if (awaitedExperts == 0) {
            return fail("no row of batch " + batch.step() + " observes any modality");
        }
        return false;
    }

    public boolean onExpert(WorkerProtocol.Expert msg) {
        experts.set(msg.modality(), msg.expert());
        if (--awaitedExperts > 0) {
            return false;
        }
        long t0 = System.nanoTime();
        stage = w.objective().forward(experts, batch.presence(), batch.step(), beta);
        combinerNanos += System.nanoTime() - t0;
        for (DecodeRequest req : stage.requests()) {
            awaitedDecoders++;
            w.decoders().get(req.modality()).tell(new DecoderWorker.Decode(batch.step(), attempt, req,
                    batch.tensors().get(req.modality()), w.replies()));
        }
        return awaitedDecoders == 0 && allDecoded(); // nothing to reconstruct (JMVAE on a batch without a complete row)
    }

    /** A decoder scored its rows and waits for their coefficients (two-phase objective). */
    public boolean onLogLikelihoods(WorkerProtocol.LogLikelihoods msg) {
        logProbs.put(msg.modality(), msg.logProb());
        awaitingCoefficients = true;
        return decoderAnswered();
    }

    /** A decoder scored and backpropagated its rows in one (the request carried its coefficients). */
    public boolean onDecoded(WorkerProtocol.Decoded msg) {
        logProbs.put(msg.modality(), msg.logProb());
        dz.put(msg.modality(), msg.dz());
        decoderGrads.set(msg.modality(), msg.grad());
        return decoderAnswered();
    }

    /** A decoder backpropagated the coefficients of a two-phase request. */
    public boolean onBackpropagated(WorkerProtocol.Backpropagated msg) {
        dz.put(msg.modality(), msg.dz());
        decoderGrads.set(msg.modality(), msg.grad());
        return decoderAnswered();
    }

    /**
     * Once every decoder has answered: score the step (the first time), then send a two-phase objective's
     * coefficients, or backpropagate every dL/dz into the experts.
     */
    private boolean decoderAnswered() {
        if (--awaitedDecoders > 0) {
            return false;
        }
        return allDecoded();
    }

    /** Every decoder has answered: score (then send two-phase coefficients) or backpropagate into the experts. */
    private boolean allDecoded() {
        long t0 = System.nanoTime();
        try {
            if (scored == null) {
                scored = stage.score(logProbs);
                if (!Double.isFinite(scored.loss())) {
                    return fail("loss is " + scored.loss() + " at step " + batch.step() + "; terms " + scored.terms());
                }
                if (awaitingCoefficients) {
                    awaitingCoefficients = false;
                    for (var e : scored.coefficients().entrySet()) {
                        awaitedDecoders++;
                        w.decoders().get(e.getKey()).tell(new DecoderWorker.Backprop(batch.step(), attempt, e.getValue(),
                                w.replies()));
                    }
                    return false;
                }
            }
            List<GaussianGrad> grads = stage.backward(dz);
            for (int j = 0; j < grads.size(); j++) {
                if (encoded[j]) {
                    awaitedComputed++;
                    w.encoders().get(j).tell(new EncoderWorker.Backprop(batch.step(), attempt, grads.get(j), w.replies()));
                }
            }
            return false;
        } finally {
            combinerNanos += System.nanoTime() - t0;
        }
    }

    /** An encoder's gradient is computed; when all are, every worker that took part is told to apply. */
    public boolean onComputed(WorkerProtocol.Computed msg) {
        encoderGrads.set(msg.worker().modality(), msg.grad());
        if (--awaitedComputed > 0) {
            return false;
        }
        for (int j = 0; j < m; j++) {
            if (encoded[j]) {
                awaitedApplied++;
                w.encoders().get(j).tell(new WorkerProtocol.Commit(batch.step(), iteration, w.replies()));
            }
        }
        for (int j : dz.keySet()) {
            awaitedApplied++;
            w.decoders().get(j).tell(new WorkerProtocol.Commit(batch.step(), iteration, w.replies()));
        }
        return false;
    }

    public boolean onApplied(WorkerProtocol.Applied msg) {
        staleness.put(msg.worker(), msg.staleness());
        busy.put(msg.worker(), msg.busyNanos());
        if (--awaitedApplied > 0) {
            return false;
        }
        replyTo.tell(new StepReport(batch.step(), scored.loss(), scored.terms(), encoderGrads, decoderGrads,
                Map.copyOf(staleness), Map.copyOf(busy), combinerNanos, attempt + 1, System.nanoTime() - started));
        return true;
    }

    /**
     * A worker failed. Before the commit the attempt is aborted everywhere and the step starts again; while
     * applying, the worker undid its update and only it is told to commit again (the others' updates are in,
     * and a worker's update does not depend on theirs). Either counts against the retry limit; NaN/Inf ends
     * the step as failed.
     */
    public boolean onFailed(WorkerProtocol.Failed msg) {
        String where = "step " + batch.step() + " (attempt " + (attempt + 1) + "): " + msg.message();
        if (!msg.retryable()) {
            return fail(where);
        }
        if (attempt >= w.maxRetries()) {
            return fail(where + "; gave up after " + (attempt + 1) + " attempts (chorus.train.max-retries = "
                    + w.maxRetries() + ")" + (awaitedApplied > 0 ? "; that worker's update is undone, the other"
                    + " workers applied theirs: resume from the last checkpoint" : ""));
        }
        if (awaitedApplied > 0) {
            attempt++;
            WorkerProtocol.Commit again = new WorkerProtocol.Commit(batch.step(), iteration, w.replies());
            if (msg.worker().role() == WorkerId.Role.ENCODER) {
                w.encoders().get(msg.worker().modality()).tell(again);
            } else {
                w.decoders().get(msg.worker().modality()).tell(again);
            }
            return false;
        }
        for (int j = 0; j < m; j++) {
            w.encoders().get(j).tell(new WorkerProtocol.Abort(batch.step()));
            w.decoders().get(j).tell(new WorkerProtocol.Abort(batch.step()));
        }
        attempt++;
        return start();
    }

    /** Whether the step ended in a {@link StepFailure}. */
    public boolean failed() {
        return failed;
    }

    /** A failure the run cannot recover from (a NaN, a persistent error). */
    public boolean fail(String message) {
        failed = true;
        for (int j = 0; j < m; j++) {
            w.encoders().get(j).tell(new WorkerProtocol.Abort(batch.step()));
            w.decoders().get(j).tell(new WorkerProtocol.Abort(batch.step()));
        }
        replyTo.tell(new StepFailure(batch.step(), message));
        return true;
    }
}
