package chorus.models.nn.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.arch.MlpNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class NetworkMemoryTest {

    private static final NetworkOptions FLOAT = NetworkOptions.of(1).withDataType(DataType.FLOAT);

    @Test
    void mlpKeepsFourOutputWidthsPerSwishLayerOneForTheLastAndEachInputForItsGradient() {
        Network enc = MlpNetworks.encoder(6, List.of(4), 2, FLOAT); // 6 -> 4 (Swish) -> 4 (identity)
        long copies = 6 + 4;           // the output and dL/dx leaving the network
        long hidden = 4 * 4 + 6;       // pre, out, sig, dPre of 4; dIn of 6
        long head = 4 + 4;             // pre (= out) of 4; dIn of 4
        assertEquals(new NetworkMemory.PerRow(copies + hidden + head, 3 * 4 + 4, 0), NetworkMemory.perRow(enc));
    }

    @Test
    void convolutionsCountTheirLargestIm2colColumnsTwice() {
        Network dec = ConvNetworks.decoder(64, ConvNetworks.MVAE_HIDDEN, 1, 28, 28, FLOAT);
        long deconv1 = 4L * 4 * 64 * 7 * 7;  // 50,176: kh kw cout inH inW of 128 -> 64 on 7x7
        long deconv2 = 4L * 4 * 1 * 14 * 14; //  3,136
        assertEquals(2 * Math.max(deconv1, deconv2), NetworkMemory.perRow(dec).nativePerRow());
    }
}
