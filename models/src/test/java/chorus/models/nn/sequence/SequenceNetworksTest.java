package chorus.models.nn.sequence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Modality;
import chorus.models.nn.FiniteDifferences;
import chorus.models.nn.NetFixtures;
import chorus.models.nn.Network;
import chorus.models.objective.DecoderInput;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The recurrent sequence networks: every parameter's gradient, teacher forcing's causality, greedy decoding. */
class SequenceNetworksTest {

    private static final Modality TEXT = Modality.sequence("text", 3, 4); // tokens 0..2, padding 3

    private static Network decoder() {
        return SequenceNetworks.decoder(2, 3, 4, List.of(3, 4), NetFixtures.DOUBLE);
    }

    @Test
    void everyParameterGradientOfBothNetworksMatchesFiniteDifferences() {
        for (Network net : List.of(SequenceNetworks.encoder(3, 4, List.of(3, 4), 2, NetFixtures.DOUBLE), decoder())) {
            INDArray x = NetFixtures.randn(7, 2, net.inputSize());
            INDArray w = NetFixtures.randn(8, 2, net.outputSize());
            net.forward(x);
            INDArray dTheta = net.backward(w).params();
            INDArray theta = net.params();
            double worst = 0;
            for (long i = 0; i < net.numParams(); i++) {
                double numeric = FiniteDifferences.derivative(p -> {
                    net.setParams(p);
                    return FiniteDifferences.linear(w, net.output(x));
                }, theta, i);
                worst = Math.max(worst, FiniteDifferences.error(dTheta.getDouble(i), numeric));
            }
            assertTrue(worst < 1e-6, net + ": worst parameter-gradient error " + worst);
        }
    }

    @Test
    void positionTReadsOnlyTheTokensBeforeIt() {
        Network net = decoder();
        INDArray in = NetFixtures.randn(9, 2, net.inputSize()); // [z (2) | 3 positions x 4 tokens]
        INDArray changed = in.dup();
        changed.get(NDArrayIndex.all(), NDArrayIndex.interval(2 + 4, 2 + 12)).assign(0.5); // tokens 1 and 2
        INDArray a = net.output(in);
        INDArray b = net.output(changed);
        assertEquals(0.0, a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8)).sub(
                b.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 8))).amaxNumber().doubleValue(), 0.0,
                "positions 0 and 1 read token 0 only");
        assertTrue(a.sub(b).amaxNumber().doubleValue() > 1e-6, "position 2 reads token 1");
    }

    @Test
    void greedyDecodingFeedsBackItsOwnMostLikelyTokens() {
        Network net = decoder();
        INDArray z = NetFixtures.randn(10, 5, 2);
        INDArray logits = DecoderInput.generating(net, TEXT, z);          // [5, 12]
        INDArray tokens = Nd4j.zeros(z.dataType(), 5, 12);
        for (int r = 0; r < 5; r++) {
            boolean ended = false;
            for (int t = 0; t < 3; t++) {
                INDArray at = logits.get(NDArrayIndex.point(r), NDArrayIndex.interval(4 * t, 4 * t + 4));
                int token = ended ? 3 : at.argMax().getInt(0);
                tokens.putScalar(r, 4 * t + token, 1.0);
                ended |= token == 3;
            }
        }
        assertEquals(logits, net.output(Nd4j.hstack(z, tokens)), "the logits are those of the greedy tokens, fed back");
    }

    @Test
    void decoderReadsItsTargetBesideZ() {
        Network net = decoder();
        assertEquals(12, net.targetWidth());
        assertEquals(2 + 12, net.inputSize());
        assertEquals(0, SequenceNetworks.encoder(3, 4, List.of(3, 4), 2, NetFixtures.DOUBLE).targetWidth());
    }
}
