package chorus.models.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.models.nn.arch.ConvNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Flattened images cross the conv networks in the data's row-major [C, H, W] order. */
class ConvLayoutTest {

    @Test
    void decoderOutputRowIsTheChwFlatteningOfTheDeconvolutionOutput() {
        Network net = ConvNetworks.decoder(2, List.of(3, 4, 6), 2, 8, 8, NetFixtures.DOUBLE);
        INDArray z = NetFixtures.randn(1, 3, 2); // [B, latent]
        INDArray flat = net.forward(z); // [B, 2*8*8]
        List<INDArray> acts = net.dl4j().feedForward(z, true); // input, then one per layer
        INDArray image = acts.get(4); // the last deconvolution's [B, C, H, W]
        assertArrayEquals(new long[] {3, 2, 8, 8}, image.shape());
        for (int b = 0; b < 3; b++) {
            INDArray row = flat.getRow(b).reshape('c', 2, 8, 8); // [C, H, W]
            assertEquals(image.get(NDArrayIndex.point(b)), row, "row " + b);
        }
    }

    @Test
    void decoderPixelIndexIsChannelRowColumn() {
        Network net = ConvNetworks.decoder(2, List.of(3, 4, 6), 2, 8, 8, NetFixtures.DOUBLE);
        INDArray z = NetFixtures.randn(2, 1, 2);
        INDArray flat = net.output(z); // [1, 2*8*8]
        INDArray image = net.dl4j().feedForward(z, false).get(4); // [1, C, H, W]
        assertEquals(image.getDouble(0, 1, 2, 5), flat.getDouble(0, 1 * 64 + 2 * 8 + 5));
    }

    @Test
    void encoderSeesTheInputRowAsChannelsHeightWidth() {
        // DL4J's layers (the oracle KernelStackTest holds the kernels to) keep the input they saw.
        Network built = ConvNetworks.encoder(2, 8, 8, List.of(3, 4, 6), 2, NetFixtures.DOUBLE);
        Network net = new Network(built.dl4j(), built.inputSize(), built.outputSize(), false);
        INDArray x = NetFixtures.randn(3, 2, 2 * 8 * 8); // [B, C*H*W]
        net.forward(x);
        INDArray seen = net.dl4j().getLayer(0).input(); // the first convolution's [B, C, H, W]
        assertEquals(x.reshape('c', 2, 2, 8, 8), seen);
    }
}
