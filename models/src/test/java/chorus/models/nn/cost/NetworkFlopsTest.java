package chorus.models.nn.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.ConvNetworks;
import chorus.models.nn.arch.MlpNetworks;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class NetworkFlopsTest {

    private static final NetworkOptions FLOAT = NetworkOptions.of(1).withDataType(DataType.FLOAT);

    @Test
    void mvaeConvEncoderCountsEachConvPerOutputPosition() {
        Network enc = ConvNetworks.encoder(1, 28, 28, ConvNetworks.MVAE_HIDDEN, 64, FLOAT);
        long conv1 = 2L * 4 * 4 * 1 * 64 * 14 * 14;    //    401,408: 1 -> 64 channels, output 14x14
        long conv2 = 2L * 4 * 4 * 64 * 128 * 7 * 7;    // 12,845,056: 64 -> 128 channels, output 7x7
        long dense = 2L * (128 * 7 * 7) * 512;         //  6,422,528: 6272 -> 512
        long head = 2L * 512 * (2 * 64);               //    131,072: 512 -> mu|logvar
        assertEquals(19_800_064L, conv1 + conv2 + dense + head);
        assertEquals(conv1 + conv2 + dense + head, NetworkFlops.forwardPerRow(enc));
    }

    @Test
    void mvaeConvDecoderCountsEachDeconvPerInputPosition() {
        Network dec = ConvNetworks.decoder(64, ConvNetworks.MVAE_HIDDEN, 1, 28, 28, FLOAT);
        long dense1 = 2L * 64 * 512;                   //     65,536
        long dense2 = 2L * 512 * (128 * 7 * 7);        //  6,422,528
        long deconv1 = 2L * 4 * 4 * 128 * 64 * 7 * 7;  // 12,845,056: input 7x7, 128 -> 64 channels
        long deconv2 = 2L * 4 * 4 * 64 * 1 * 14 * 14;  //    401,408: input 14x14, 64 -> 1 channel
        assertEquals(19_734_528L, dense1 + dense2 + deconv1 + deconv2);
        assertEquals(List.of(dense1, dense2, deconv1, deconv2, 0L),
                NetworkFlops.layers(dec).stream().map(NetworkFlops.LayerFlops::perRow).toList());
    }

    @Test
    void mlpIsTwiceTheSumOfItsWeightMatrices() {
        Network mlp = MlpNetworks.encoder(784, MlpNetworks.MVAE_HIDDEN, 64, FLOAT);
        long perRow = 2L * (784 * 512 + 512 * 512 + 512 * 128); // 2 * 729,088
        assertEquals(1_458_176L, perRow);
        assertEquals(perRow, NetworkFlops.forwardPerRow(mlp));
    }

    @Test
    void trainingIsThreeForwardsPerRow() {
        Network mlp = MlpNetworks.encoder(6, List.of(5), 3, FLOAT);
        long perRow = 2L * (6 * 5 + 5 * 6); // 120
        assertEquals(3 * 10 * perRow, NetworkFlops.training(mlp, 10));
        assertEquals(0, NetworkFlops.training(mlp, 0));
    }

    @Test
    void negativeRowsAreRejected() {
        Network mlp = MlpNetworks.encoder(6, List.of(5), 3, FLOAT);
        assertThrows(IllegalArgumentException.class, () -> NetworkFlops.training(mlp, -1));
    }
}
