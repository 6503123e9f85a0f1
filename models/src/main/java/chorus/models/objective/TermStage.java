package chorus.models.objective;

import chorus.models.posterior.GaussianGrad;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The combiner's mathematics for one batch (see the package doc for the order of calls). An instance
 * holds the forward state of one step; it is used once.
 */
public interface TermStage {

    /** One request per target modality that has rows this step, in modality order. */
    List<DecodeRequest> requests();

    /**
     * The loss and its coefficients from each requested modality's log-likelihoods.
     *
     * @param logProbs modality index → log p(x_m | z) per request row {@code [R]}
     */
    Scored score(Map<Integer, INDArray> logProbs);

    /**
     * dL/d(mu, logvar) per expert {@code [B, D]} (modality order; zero for absent rows).
     *
     * @param dz modality index → dL/dz {@code [R, D]} from that decoder's backward with the scored coefficients
     */
    List<GaussianGrad> backward(Map<Integer, INDArray> dz);
}
