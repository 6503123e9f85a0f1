package chorus.models.nn.arch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The geometry of a convolutional encoder's K layers, each a 4x4 convolution with its own stride and padding,
 * and of the decoder that mirrors it. Side after layer i: {@code (s + 2 padding - 4) / stride + 1} (rounded
 * down). Decoder layer i undoes encoder layer i with a transposed convolution of the same stride and padding
 * whose kernel restores the encoder's side exactly: {@code k = s_in - (s_out - 1) stride + 2 padding} (4 when
 * the side halves evenly; 5 for MultiMNIST's 25 -> 12, as the MVAE reference's decoder).
 *
 * @param strides  stride of each layer (1 or 2)
 * @param paddings padding of each layer (0 or 1)
 */
public record ConvLayout(List<Integer> strides, List<Integer> paddings) {

    /** The encoders' kernel side. */
    public static final int KERNEL = 4;

    public ConvLayout {
        strides = List.copyOf(strides);
        paddings = List.copyOf(paddings);
        if (strides.isEmpty() || strides.size() != paddings.size()) {
            throw new IllegalArgumentException("conv layout: " + strides.size() + " strides and " + paddings.size()
                    + " paddings, expected one of each per convolution (at least one)");
        }
        if (strides.stream().anyMatch(s -> s < 1 || s > 2) || paddings.stream().anyMatch(p -> p < 0 || p > 1)) {
            throw new IllegalArgumentException("conv layout: strides " + strides + " and paddings " + paddings
                    + ", expected strides of 1 or 2 and paddings of 0 or 1");
        }
    }

    /** K layers of stride 2 and padding 1, each halving the side (28 -> 14 -> 7): MVAE's Fashion-MNIST nets. */
    public static ConvLayout halving(int layers) {
        return new ConvLayout(Collections.nCopies(layers, 2), Collections.nCopies(layers, 1));
    }

    /** Number of convolutions K. */
    public int layers() {
        return strides.size();
    }

    /** The side before each layer and after the last, {@code [K + 1]}, from {@code side}; an error names a side that vanishes. */
    public List<Integer> sides(int side, String what) {
        List<Integer> sides = new ArrayList<>(List.of(side));
        for (int i = 0; i < layers(); i++) {
            int next = (side + 2 * paddings.get(i) - KERNEL) / strides.get(i) + 1;
            if (side + 2 * paddings.get(i) < KERNEL || next < 1) {
                throw new IllegalArgumentException(what + ": side " + sides.get(0) + " shrinks to " + side
                        + " before convolution " + (i + 1) + " of " + layers() + " (stride " + strides.get(i)
                        + ", padding " + paddings.get(i) + "), too small for its 4x4 kernel; use fewer layers, stride 1 or padding 1");
            }
            side = next;
            sides.add(side);
        }
        return sides;
    }

    /** The kernel of decoder layer i mapping side {@code out} back to {@code in}. */
    int transposedKernel(int i, int in, int out) {
        return in - (out - 1) * strides.get(i) + 2 * paddings.get(i);
    }
}
