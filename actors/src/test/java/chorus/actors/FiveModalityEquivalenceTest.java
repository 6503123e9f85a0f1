package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.WorkerHooks;
import chorus.data.Batch;
import chorus.data.LikelihoodKind;
import chorus.data.Modality;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.mmvae.MixtureObjective;
import chorus.models.nn.Network;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Networks;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A PolyMNIST-shaped dataset through the actors: five RGB image modalities (tiny, 3x4x4) with conv networks and
 * Laplace likelihoods, some rows missing up to three modalities; synchronous MoPoE (31 subsets), MVAE and MMVAE
 * steps equal the single-process reference model's gradients.
 */
class FiveModalityEquivalenceTest {

    private static final List<Modality> MODALITIES = IntStream.range(0, 5)
            .mapToObj(k -> Modality.image("m" + k, 3, 4, 4, LikelihoodKind.LAPLACE)).toList();
    private static final double[] LAMBDAS = {1.0, 0.5, 2.0, 1.0, 1.5};
    private static final double[][] PRESENCE = {
        {1, 1, 1, 1, 1}, {1, 0, 1, 1, 1}, {0, 1, 0, 1, 0}, {1, 1, 1, 0, 0}, {0, 0, 0, 0, 1}, {1, 1, 1, 1, 1}};
    private static final int LATENT = 3;

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @Test
    void mopoeOverFiveModalitiesEqualsTheReferenceModel() {
        assertSameGradients(ElboObjective.mopoe(MODALITIES, false, LAMBDAS, 51));
    }

    @Test
    void mvaeOverFiveModalitiesEqualsTheReferenceModel() {
        assertSameGradients(ElboObjective.mvae(MODALITIES, 2, LAMBDAS, 52));
    }

    @Test
    void mmvaeOverFiveModalitiesEqualsTheReferenceModel() {
        assertSameGradients(MixtureObjective.elbo(MODALITIES, 2, LAMBDAS, 53));
    }

    private static void assertSameGradients(Objective objective) {
        MultimodalVae reference = model(61);
        MultimodalVae owned = reference.copy();
        Batch batch = batch(7);
        ReferenceModel.StepResult expected = ReferenceModel.gradients(reference, objective, batch, 0.8);
        try (TrainingSystem system = TrainingSystem.start(owned, objective,
                TrainingSystem.Options.local("five-test", DataType.DOUBLE, 5).withHooks(WorkerHooks.REPORT_GRADIENTS))) {
            StepReport got = system.step(batch, 0.8, 1).toCompletableFuture().join();
            assertEquals(expected.loss(), got.loss(), 1e-9 * Math.abs(expected.loss()));
            for (int j = 0; j < MODALITIES.size(); j++) {
                SyncEquivalenceTest.assertRelClose("encoder " + j, expected.encoderGrads().get(j), got.encoderGrads().get(j), 1e-6);
                SyncEquivalenceTest.assertRelClose("decoder " + j, expected.decoderGrads().get(j), got.decoderGrads().get(j), 1e-6);
            }
        }
    }

    private static MultimodalVae model(long seed) {
        List<Network> enc = new ArrayList<>();
        List<Network> dec = new ArrayList<>();
        List<Likelihood> lik = new ArrayList<>();
        for (int j = 0; j < MODALITIES.size(); j++) {
            Modality m = MODALITIES.get(j);
            NetworkOptions opts = NetworkOptions.of(seed + 17L * j).withDataType(DataType.DOUBLE);
            Likelihood l = Likelihoods.of(m.likelihood(), 0.75);
            enc.add(Networks.encoder(m, "conv", LATENT, List.of(2, 3, 4), opts));
            dec.add(Networks.decoder(m, "conv", LATENT, List.of(2, 3, 4), l.paramSize(m.size()), opts.withSeed(seed + 17L * j + 7)));
            lik.add(l);
        }
        return new MultimodalVae(MODALITIES, enc, dec, lik, LATENT);
    }

    private static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = PRESENCE.length;
        INDArray mask = Nd4j.createFromArray(PRESENCE).castTo(DataType.DOUBLE); // [B, 5]
        List<INDArray> tensors = new ArrayList<>();
        for (int j = 0; j < MODALITIES.size(); j++) {
            INDArray x = Nd4j.create(DataType.DOUBLE, rows, 48); // [B, 3*4*4] in [0, 1]
            for (int i = 0; i < rows; i++) {
                for (int p = 0; p < 48; p++) {
                    x.putScalar(i, p, r.nextDouble());
                }
            }
            tensors.add(x.mulColumnVector(mask.getColumn(j).dup()));
        }
        return new Batch(0, MODALITIES, tensors, mask, IntStream.range(0, rows).toArray());
    }
}
