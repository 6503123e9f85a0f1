package chorus.models.privateshared;

import chorus.models.objective.DecodeRequest;
import chorus.models.objective.Rows;
import chorus.models.objective.Scored;
import chorus.models.objective.TermStage;
import chorus.models.objective.TermValue;
import chorus.models.poe.ElboPlan;
import chorus.models.poe.ElboStage;
import chorus.models.posterior.Divergence;
import chorus.models.posterior.Gaussian;
import chorus.models.posterior.GaussianGrad;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The ELBO family over a private + shared latent (modality-specific and shared subspaces as in Sutter et
 * al. 2020, MMJSD; Daunhawer et al. 2020; Lee &amp; Pavlovic 2021, DMVAE), with MVAE's or MoPoE's subset
 * plan. Every expert's latent is z = (z_s [Ds], z_p [Dp]); experts are combined over z_s only,
 * and decoder m reads (z_s of the term, z_p drawn from modality m's own private expert q_m^p):
 * <pre>
 *   L = (1/B) sum_t sum_b a_tb [ - sum_{m in targets_t, observed_b} lambda_m log p_m(x_bm | z_s,tb, z_p,tmb)
 *                                + beta KL(q_tb^s || N(0,I))
 *                                + beta sum_{m in targets_t, observed_b} KL(q_mb^p || N(0,I)) ]
 * </pre>
 * with q_tb^s the product of the shared slices of term t's experts (exactly {@link ElboStage} over the
 * columns {@code [0, Ds)}), z_s,tb = mu + sigma eps_tb, z_p,tmb = mu_mb^p + sigma_mb^p eps'_mtb (noise of
 * its own per term, modality and row) and a_tb the plan's weight. The shared part IS an {@link ElboStage}
 * (its requests, coefficients, nll/kl terms and backward); this stage only appends each request row's
 * private sample to z, adds the private KL, and routes dL/dz's private columns back to q_m^p.
 *
 * <p>Logged terms: the shared stage's {@code nll[S]} and {@code kl[S]}, then {@code klp[S]} per term, with
 * loss = sum nll + beta (sum kl + sum klp) (so they add up to the loss at beta = 1, like {@link ElboStage}).
 */
public final class PrivateSharedStage implements TermStage {

    private final ElboStage shared;
    private final List<PrivatePart> parts;   // one per request, in request order
    private final List<DecodeRequest> requests;
    private final List<String> names;
    private final double beta;
    private final int batch;
    private final int experts;
    private final int sharedDim;
    private final int privateDim;

    /** The private sample of one decoder's request rows: q_m^p gathered at the rows' data rows. */
    private record PrivatePart(int modality, int[] planRows, int[] dataRows, Gaussian q, INDArray eps,
                               INDArray klWeight, INDArray kl) {
    }

    private PrivateSharedStage(ElboStage shared, List<PrivatePart> parts, List<DecodeRequest> requests,
                               List<String> names, double beta, int batch, int experts, int sharedDim, int privateDim) {
        this.shared = shared;
        this.parts = parts;
        this.requests = requests;
        this.names = names;
        this.beta = beta;
        this.batch = batch;
        this.experts = experts;
        this.sharedDim = sharedDim;
        this.privateDim = privateDim;
    }

    /**
     * Forms every term's shared posterior, samples z = (z_s, z_p) and plans the decoder requests.
     *
     * @param experts    one expert per modality {@code [B, L]}, L = Ds + Dp (absent rows finite, never used)
     * @param presence   {@code [B, M]} 0/1
     * @param sharedEps  {@code [T*B, Ds]} standard-normal noise of the shared samples, term-major
     * @param privateEps one {@code [T*B, Dp]} per modality: the noise of modality m's private sample of
     *                   row t*B+b
     * @param beta       the KL weight (annealed)
     * @param lambdas    per-modality likelihood weights, length M
     * @param sharedDim  Ds, the leading columns that are combined; 1 <= Ds < L
     */
    public static PrivateSharedStage forward(List<Gaussian> experts, INDArray presence, ElboPlan plan,
                                             INDArray sharedEps, List<INDArray> privateEps, double beta,
                                             double[] lambdas, int sharedDim) {
        int m = experts.size();
        int latent = experts.get(0).dim();
        if (sharedDim < 1 || sharedDim >= latent) {
            throw new IllegalArgumentException("sharedDim: " + sharedDim + ", expected 1 <= sharedDim < latent "
                    + latent + " (this stage needs at least one private dimension)");
        }
        int privateDim = latent - sharedDim;
        int b = (int) presence.size(0);
        int rows = plan.terms() * b;
        if (privateEps.size() != m) {
            throw new IllegalArgumentException("privateEps: " + privateEps.size() + " noise matrices for " + m
                    + " modalities, expected one per modality");
        }
        for (int j = 0; j < m; j++) {
            INDArray e = privateEps.get(j);
            if (e.rank() != 2 || e.size(0) != rows || e.size(1) != privateDim) {
                throw new IllegalArgumentException("privateEps " + j + ": shape " + java.util.Arrays.toString(e.shape())
                        + ", expected [" + rows + ", " + privateDim + "] (terms x batch, privateDim)");
            }
        }
        List<Gaussian> sharedExperts = experts.stream().map(e -> e.columns(0, sharedDim)).toList(); // [B, Ds] each
        ElboStage shared = ElboStage.forward(sharedExperts, presence, plan, sharedEps, beta, lambdas);
        DataType dtype = experts.get(0).dtype();
        INDArray weights = shared.weights();                                          // [T*B] a_tb
        List<PrivatePart> parts = new ArrayList<>();
        List<DecodeRequest> requests = new ArrayList<>();
        for (DecodeRequest req : shared.requests()) {
            int j = req.modality();
            int[] planRows = shared.planRows(j);
            Gaussian q = privateRows(experts.get(j), req.dataRows(), sharedDim);     // [R, Dp]
            INDArray eps = Rows.gather(privateEps.get(j).castTo(dtype), planRows);    // [R, Dp]
            INDArray z = Nd4j.hstack(req.z(), q.sample(eps));                         // [R, L]
            INDArray klWeight = Rows.gatherVector(weights, planRows).divi(b);         // [R] a_tb / B
            parts.add(new PrivatePart(j, planRows, req.dataRows(), q, eps, klWeight, Divergence.klStandardNormal(q)));
            requests.add(new DecodeRequest(j, z, req.dataRows(), req.coefficients()));
        }
        return new PrivateSharedStage(shared, List.copyOf(parts), List.copyOf(requests), plan.names(), beta, b, m,
                sharedDim, privateDim);
    }

    @Override
    public List<DecodeRequest> requests() {
        return requests;
    }

    @Override
    public Scored score(Map<Integer, INDArray> logProbs) {
        Scored s = shared.score(logProbs);
        double[] klp = new double[names.size()];
        for (PrivatePart p : parts) {
            double[] a = Rows.doubles(p.klWeight());
            double[] k = Rows.doubles(p.kl());
            for (int r = 0; r < a.length; r++) {
                klp[p.planRows()[r] / batch] += a[r] * k[r];                      // a_tb KL(q_mb^p) / B
            }
        }
        List<TermValue> terms = new ArrayList<>(s.terms());
        double loss = s.loss();
        for (int t = 0; t < klp.length; t++) {
            terms.add(new TermValue("klp[" + names.get(t) + "]", klp[t]));
            loss += beta * klp[t];
        }
        return new Scored(loss, terms, s.coefficients());
    }

    @Override
    public List<GaussianGrad> backward(Map<Integer, INDArray> dz) {
        Map<Integer, INDArray> sharedDz = new LinkedHashMap<>();
        List<INDArray> dMuP = new ArrayList<>();
        List<INDArray> dLogvarP = new ArrayList<>();
        DataType dtype = parts.isEmpty() ? DataType.DOUBLE : parts.get(0).q().dtype();
        for (int j = 0; j < experts; j++) {
            dMuP.add(Nd4j.zeros(dtype, batch, privateDim));                         // [B, Dp]
            dLogvarP.add(Nd4j.zeros(dtype, batch, privateDim));                     // [B, Dp]
        }
        for (PrivatePart p : parts) {
            INDArray g = dz.get(p.modality());
            if (g == null || g.rank() != 2 || g.size(0) != p.dataRows().length || g.size(1) != sharedDim + privateDim) {
                throw new IllegalArgumentException("dL/dz of modality " + p.modality() + ": "
                        + (g == null ? "missing" : "shape " + java.util.Arrays.toString(g.shape())) + ", expected ["
                        + p.dataRows().length + ", " + (sharedDim + privateDim) + "]");
            }
            sharedDz.put(p.modality(), g.get(NDArrayIndex.all(), NDArrayIndex.interval(0, sharedDim)).dup());
            INDArray gp = g.get(NDArrayIndex.all(), NDArrayIndex.interval(sharedDim, sharedDim + privateDim))
                    .castTo(p.q().dtype()).dup('c');                                 // [R, Dp]
            GaussianGrad grad = p.q().sampleBackward(p.eps(), gp)
                    .plus(Divergence.klStandardNormalBackward(p.q(), p.klWeight().mul(beta)));
            Rows.scatterAdd(dMuP.get(p.modality()), p.dataRows(), grad.dMu());
            Rows.scatterAdd(dLogvarP.get(p.modality()), p.dataRows(), grad.dLogvar());
        }
        List<GaussianGrad> sharedGrads = shared.backward(sharedDz);                 // [B, Ds] each
        List<GaussianGrad> out = new ArrayList<>(experts);
        for (int j = 0; j < experts; j++) {
            GaussianGrad s = sharedGrads.get(j);
            out.add(new GaussianGrad(Nd4j.hstack(s.dMu(), dMuP.get(j).castTo(s.dMu().dataType())),
                    Nd4j.hstack(s.dLogvar(), dLogvarP.get(j).castTo(s.dLogvar().dataType())))); // [B, L]
        }
        return out;
    }

    /** The private slice {@code [R, Dp]} of an expert at the given data rows, as a fresh Gaussian. */
    private static Gaussian privateRows(Gaussian expert, int[] rows, int sharedDim) {
        Gaussian slice = new Gaussian(Rows.gather(expert.mu(), rows), Rows.gather(expert.logvar(), rows))
                .columns(sharedDim, expert.dim());
        return new Gaussian(slice.mu().dup('c'), slice.logvar().dup('c'));
    }
}
