package chorus.models.joint;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.objective.Weights;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * JMVAE-kl (Suzuki, Nakayama &amp; Matsuo 2016, "Joint Multimodal Learning with Deep Generative Models",
 * eq. 5): the joint ELBO of q(z | x_1..x_M) (a {@link TermsStage} with one term) plus
 * <pre>
 *   alpha (1/B) sum_{b complete} sum_m KL(q(z | X_b) || q_m(z | x_bm))
 * </pre>
 * which pulls every unimodal encoder towards the joint posterior, so that q_m serves cross-modal inference.
 * alpha is not annealed with beta (the paper anneals only the ELBO's KL). Logged as {@code kl[joint||m]},
 * loss = the joint term's nll + beta kl + alpha sum_m kl[joint||m].
 */
public final class JmvaeStage implements TermStage {

    private final TermsStage elbo;
    private final Gaussian joint;
    private final List<Gaussian> unimodal;
    private final List<String> names;
    private final INDArray weights;      // [B] 1 on complete rows
    private final List<INDArray> kl;     // per modality [B]
    private final double alpha;
    private final int jointIndex;

    private JmvaeStage(TermsStage elbo, Gaussian joint, List<Gaussian> unimodal, List<String> names, INDArray weights,
                       List<INDArray> kl, double alpha, int jointIndex) {
        this.elbo = elbo;
        this.joint = joint;
        this.unimodal = unimodal;
        this.names = names;
        this.weights = weights;
        this.kl = kl;
        this.alpha = alpha;
        this.jointIndex = jointIndex;
    }

    /**
     * @param elbo       the joint ELBO term's stage
     * @param experts    the M unimodal experts, then the joint one, {@code [B, D]} each
     * @param presence   {@code [B, M + 1]}
     * @param names      the M modality names
     * @param alpha      the weight of the KL terms, >= 0
     */
    public static JmvaeStage forward(TermsStage elbo, List<Gaussian> experts, INDArray presence, List<String> names,
                                     double alpha) {
        Weights.nonNegative("JMVAE alpha", alpha);
        int j = experts.size() - 1;
        Gaussian joint = experts.get(j);
        List<Gaussian> unimodal = experts.subList(0, j);
        INDArray w = presence.getColumn(j).castTo(joint.dtype()).dup();                 // [B]
        List<INDArray> kl = new ArrayList<>();
        boolean any = w.sumNumber().doubleValue() > 0;
        for (Gaussian q : unimodal) {
            kl.add(any ? Divergence.klGaussian(joint, q) : null);                       // [B]
        }
        return new JmvaeStage(elbo, joint, List.copyOf(unimodal), List.copyOf(names), w, kl, alpha, j);
    }

    @Override
    public List<DecodeRequest> requests() {
        return elbo.requests();
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        Scored s = elbo.score(logProbs);
        List<TermValue> terms = new ArrayList<>(s.terms());
        double loss = s.loss();
        for (int m = 0; m < unimodal.size(); m++) {
            double v = kl.get(m) == null ? 0 : Rows.doubles(kl.get(m).mul(weights).sum())[0] / elbo.batch();
            terms.add(new TermValue("kl[joint||" + names.get(m) + "]", v));
            loss += alpha * v;
        }
        return new Scored(loss, terms, s.coefficients());
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        List<GaussianGrad> grads = new ArrayList<>(elbo.backward(dz));
        INDArray g = weights.mul(alpha / elbo.batch());                                  // [B]
        for (int m = 0; m < unimodal.size(); m++) {
            if (kl.get(m) == null) {
                continue;
            }
            Divergence.PairGrad d = Divergence.klGaussianBackward(joint, unimodal.get(m), g);
            grads.set(jointIndex, grads.get(jointIndex).plus(d.q()));
            grads.set(m, grads.get(m).plus(d.p()));
        }
        return grads;
    }
}
