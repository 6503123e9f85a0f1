package chorus.models.evaluation;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.joint.JointInput;
import chorus.models.posterior.Gaussian;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * q(z | X_S) of a model with a joint encoder (JMVAE, TELBO, MuMo-VAE, MFM; {@link PosteriorRule#jointEncoder()}), as
 * their papers infer: on the rows where S holds every modality the joint encoder reads and the row observes them
 * all, the joint encoder's Gaussian; on the others, the posterior of the given unimodal experts. A joint encoder
 * whose latent is the whole joint latent (JMVAE, TELBO: z; MuMo-VAE: (zS, z_1, ..., z_M)) gives every column; one
 * that gives only the shared part (MFM's multimodal factor) takes each private part from the unimodal posterior
 * (the modality's own encoder when given, the prior otherwise).
 */
final class JointPosterior {

    /** The log-variance of a deterministic encoder's point (MFM): exp(-20) = 2e-9 standard deviations. */
    static final double POINT_LOGVAR = -40.0;

    private JointPosterior() {
    }

    /**
     * @param subset    the indices of S among the data modalities
     * @param unimodal  the product posterior of the given unimodal experts over the joint latent {@code [B, D]}
     */
    static SubsetPosterior of(MultimodalVae model, PosteriorRule rule, Batch batch, int[] subset, SubsetPosterior unimodal) {
        List<Modality> data = model.dataModalities();
        Set<String> given = new HashSet<>();
        for (int j : subset) {
            given.add(data.get(j).name());
        }
        boolean readsAll = data.stream().map(Modality::name).filter(n -> !rule.notJoint().contains(n)).allMatch(given::contains);
        if (!readsAll) {
            return unimodal;
        }
        int n = data.size();
        Batch dataOnly = new Batch(batch.step(), data, batch.tensors().subList(0, n),
                batch.presence().get(NDArrayIndex.all(), NDArrayIndex.interval(0, n)).dup(), batch.rows());
        Batch withJoint = JointInput.batch(dataOnly, rule.notJoint());
        Gaussian u = unimodal.product();                                                       // [B, D]
        INDArray w = withJoint.presence().getColumn(n).castTo(u.dtype()).reshape(u.rows(), 1); // [B, 1] rows observing its reads
        if (w.sumNumber().doubleValue() == 0) {
            return unimodal;
        }
        Gaussian q = Generation.encode(model, model.jointEncoder(), withJoint.tensors().get(n).castTo(u.dtype()));
        if (rule.deterministic()) {
            q = point(q);
        }
        Gaussian joint = whole(model, q, u);                                                   // [B, D]
        INDArray keep = w.rsub(1.0);                                                           // [B, 1]
        INDArray mu = u.mu().mulColumnVector(keep).addi(joint.mu().mulColumnVector(w));        // [B, D]
        INDArray logvar = u.logvar().mulColumnVector(keep).addi(joint.logvar().mulColumnVector(w)); // [B, D]
        return SubsetPosterior.ofGaussian(new Gaussian(mu, logvar), rule);
    }

    /** The joint encoder's Gaussian over the whole joint latent: itself, or its shared part beside {@code u}'s private columns. */
    private static Gaussian whole(MultimodalVae model, Gaussian q, Gaussian u) {
        int d = model.jointLatent();
        if (q.dim() == d) {
            return q;
        }
        int ds = model.sharedLatent();
        if (q.dim() != ds) {
            throw new IllegalArgumentException("joint encoder of " + q.dim() + " latent dimensions, expected the joint latent "
                    + d + " or its shared part " + ds);
        }
        Gaussian priv = u.columns(ds, d);                                                      // [B, M Dp]
        return new Gaussian(Nd4j.hstack(q.mu(), priv.mu()), Nd4j.hstack(q.logvar(), priv.logvar()));
    }

    /**
     * An expert whose private columns are the prior's, N(0, I): MFM's label (a modality its joint encoder does not read)
     * has no generative factor of its own, and its decoder, the head, was trained with the prior's draws there.
     */
    static Gaussian priorPrivate(Gaussian q, int shared) {
        INDArray mu = q.mu().dup();
        INDArray logvar = q.logvar().dup();
        mu.get(NDArrayIndex.all(), NDArrayIndex.interval(shared, q.dim())).assign(0.0);
        logvar.get(NDArrayIndex.all(), NDArrayIndex.interval(shared, q.dim())).assign(0.0);
        return new Gaussian(mu, logvar);
    }

    /** A deterministic encoder's output as a Gaussian: its mean with a vanishing variance ({@link #POINT_LOGVAR}). */
    static Gaussian point(Gaussian q) {
        return new Gaussian(q.mu(), Nd4j.valueArrayOf(q.logvar().shape(), POINT_LOGVAR, q.dtype()));
    }
}
