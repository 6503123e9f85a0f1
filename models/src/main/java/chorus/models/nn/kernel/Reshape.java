package chorus.models.nn.kernel;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's flat-to-image and image-to-flat preprocessors as views: {@code [B, C*H*W] <-> [B, C, H, W]}
 * in row-major C, H, W order. Every kernel buffer is contiguous 'c', so neither direction copies.
 */
final class Reshape implements Kernel {

    private final long[] inDims;  // one row's shape on the way in
    private final long[] outDims; // one row's shape on the way out

    Reshape(long[] inDims, long[] outDims) {
        this.inDims = inDims.clone();
        this.outDims = outDims.clone();
    }

    @Override
    public INDArray forward(INDArray in, IntraOp par) {
        return in.reshape('c', withRows(in.size(0), outDims));
    }

    @Override
    public INDArray backward(INDArray dOut, boolean inputGradient, IntraOp par) {
        return inputGradient ? dOut.reshape('c', withRows(dOut.size(0), inDims)) : null;
    }

    @Override
    public String name() {
        return "reshape " + Arrays.toString(inDims) + "->" + Arrays.toString(outDims);
    }


    private static long[] withRows(long rows, long[] dims) {
        long[] shape = new long[dims.length + 1];
        shape[0] = rows;
        System.arraycopy(dims, 0, shape, 1, dims.length);
        return shape;
    }
}
