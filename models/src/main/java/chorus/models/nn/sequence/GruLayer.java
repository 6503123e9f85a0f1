package chorus.models.nn.sequence;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One GRU layer (Cho et al. 2014) run over a whole sequence, with backpropagation through time written
 * by hand. PyTorch's formulation, so the MVAE reference's text networks are reproduced:
 * <pre>
 *   r_t = sigmoid(x_t Wx_r + bx_r + h_{t-1} Wh_r + bh_r)
 *   u_t = sigmoid(x_t Wx_u + bx_u + h_{t-1} Wh_u + bh_u)
 *   n_t = tanh(x_t Wx_n + bx_n + r_t * (h_{t-1} Wh_n + bh_n))
 *   h_t = (1 - u_t) * n_t + u_t * h_{t-1}
 * </pre>
 * Parameters are views of a network's flat array: {@code Wx [in, 3H]}, {@code bx [3H]}, {@code Wh [H, 3H]},
 * {@code bh [3H]}, gate columns in the order r, u, n. The forward keeps each step's gates for the backward;
 * the backward adds into the gradient views (the caller zeroes them once per pass).
 */
final class GruLayer {

    private final int hidden;
    private final ParamBlocks.Block x;  // Wx, bx and their gradients
    private final ParamBlocks.Block h;  // Wh, bh and their gradients
    private final List<Step> steps = new ArrayList<>();

    /** What one step keeps for the backward. */
    private record Step(INDArray in, INDArray hPrev, INDArray r, INDArray u, INDArray n, INDArray hn) {
    }

    GruLayer(ParamBlocks.Block x, ParamBlocks.Block h) {
        this.hidden = (int) h.w().size(0);
        if (x.w().size(1) != 3L * hidden || h.w().size(1) != 3L * hidden) {
            throw new IllegalArgumentException("GRU blocks " + x + " and " + h + ": expected [in, 3H] and [H, 3H]");
        }
        this.x = x;
        this.h = h;
    }

    /** Hidden size H. */
    int hidden() {
        return hidden;
    }

    /**
     * Runs the sequence {@code xs} ({@code [B, in]} each, in order) from {@code h0 [B, H]} and returns every
     * state {@code h_1..h_T} ({@code [B, H]} each). Keeps what {@link #backward} needs when {@code keep}.
     */
    List<INDArray> forward(List<INDArray> xs, INDArray h0, boolean keep) {
        steps.clear();
        List<INDArray> hs = new ArrayList<>();
        INDArray hPrev = h0;
        for (INDArray in : xs) {
            INDArray gx = in.mmul(x.w()).addiRowVector(x.b());          // [B, 3H]
            INDArray gh = hPrev.mmul(h.w()).addiRowVector(h.b());       // [B, 3H]
            INDArray r = Transforms.sigmoid(cols(gx, 0).add(cols(gh, 0)), false); // [B, H]
            INDArray u = Transforms.sigmoid(cols(gx, 1).add(cols(gh, 1)), false); // [B, H]
            INDArray hn = cols(gh, 2).dup();                            // [B, H] h_{t-1} Wh_n + bh_n
            INDArray n = Transforms.tanh(cols(gx, 2).add(r.mul(hn)), false);      // [B, H]
            INDArray next = n.add(u.mul(hPrev.sub(n)));                 // [B, H] (1-u) n + u h
            if (keep) {
                steps.add(new Step(in, hPrev, r, u, n, hn));
            }
            hs.add(next);
            hPrev = next;
        }
        return hs;
    }

    /**
     * Backpropagation through time of the last {@link #forward}: {@code dHs} holds dL/dh_t from outside the
     * layer ({@code [B, H]} each, null for none); adds dL/dθ into the gradient views.
     *
     * @return dL/dx_t for every step, then dL/dh0 as the last element
     */
    List<INDArray> backward(List<INDArray> dHs) {
        if (steps.isEmpty() || dHs.size() != steps.size()) {
            throw new IllegalStateException("GRU backward: " + dHs.size() + " step gradients for " + steps.size()
                    + " kept steps (one forward with keep, then one backward)");
        }
        INDArray[] dxs = new INDArray[steps.size()];
        INDArray carry = null; // dL/dh_t from step t+1
        for (int t = steps.size() - 1; t >= 0; t--) {
            Step s = steps.get(t);
            INDArray dh = sum(dHs.get(t), carry, s.hPrev());                 // [B, H]
            INDArray dn = dh.mul(s.u().rsub(1.0));                             // [B, H] dh (1-u)
            INDArray du = dh.mul(s.hPrev().sub(s.n()));                        // [B, H] dh (h - n)
            INDArray dnPre = dn.mul(s.n().mul(s.n()).rsubi(1.0));              // [B, H] tanh'
            INDArray dr = dnPre.mul(s.hn());                                   // [B, H]
            INDArray drPre = dr.mul(s.r().mul(s.r().rsub(1.0)));               // [B, H] sigmoid'
            INDArray duPre = du.mul(s.u().mul(s.u().rsub(1.0)));               // [B, H]
            INDArray dGx = concat(drPre, duPre, dnPre);                        // [B, 3H]
            INDArray dGh = concat(drPre, duPre, dnPre.mul(s.r()));             // [B, 3H]
            x.dW().addi(s.in().transpose().mmul(dGx));                          // [in, 3H]
            x.dB().addi(dGx.sum(0));
            h.dW().addi(s.hPrev().transpose().mmul(dGh));                       // [H, 3H]
            h.dB().addi(dGh.sum(0));
            dxs[t] = dGx.mmul(x.w().transpose());                               // [B, in]
            carry = dh.mul(s.u()).addi(dGh.mmul(h.w().transpose()));            // [B, H]
        }
        steps.clear();
        List<INDArray> out = new ArrayList<>(List.of(dxs));
        out.add(carry);
        return out;
    }

    /** Drops what the forward kept. */
    void discard() {
        steps.clear();
    }

    private INDArray cols(INDArray g, int gate) {
        return g.get(NDArrayIndex.all(), NDArrayIndex.interval((long) gate * hidden, (long) (gate + 1) * hidden));
    }

    private static INDArray concat(INDArray a, INDArray b, INDArray c) {
        return org.nd4j.linalg.factory.Nd4j.hstack(a, b, c);
    }

    private static INDArray sum(INDArray a, INDArray b, INDArray like) {
        if (a == null && b == null) {
            return org.nd4j.linalg.factory.Nd4j.zerosLike(like);
        }
        if (a == null) {
            return b;
        }
        return b == null ? a.dup() : a.add(b);
    }
}
