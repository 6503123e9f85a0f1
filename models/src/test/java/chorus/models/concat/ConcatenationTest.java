package chorus.models.concat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chorus.data.Batch;
import chorus.data.Modality;
import chorus.models.ModalitySettings;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.ReferenceModelTest;
import chorus.models.likelihood.Likelihood;
import chorus.models.likelihood.Likelihoods;
import chorus.models.nn.NetworkOptions;
import chorus.models.nn.arch.Architecture;
import chorus.models.objective.DecodeRequest;
import chorus.models.objective.EncoderStage;
import chorus.models.objective.Objective;
import chorus.models.objective.TermValue;
import chorus.models.posterior.Gaussian;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The vanilla VAE on concatenated modalities, run by the unchanged reference model. */
class ConcatenationTest {

    private static final double[] LAMBDAS = {1.0, 2.5, 0.7};
    private static final double BETA = 0.6; // ReferenceModelTest's finite-difference check uses the same

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    private static List<ModalitySettings> settings() {
        List<ModalitySettings> out = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            Modality m = ModelFixtures.MODALITIES.get(j);
            out.add(new ModalitySettings(Architecture.MLP, List.of(5), LAMBDAS[j], m.likelihood(), 0.5));
        }
        return out;
    }

    private static MultimodalVae model(long seed) {
        return Concatenation.model(ModelFixtures.MODALITIES, settings(), ModelFixtures.LATENT, List.of(6),
                NetworkOptions.of(seed).withDataType(DataType.DOUBLE));
    }

    @Test
    void jointModalityHoldsEveryValueThenThePresenceColumns() {
        Modality joint = Concatenation.joint(ModelFixtures.MODALITIES);
        assertEquals(Modality.Kind.ATTRIBUTES, joint.kind());
        assertEquals(chorus.data.LikelihoodKind.SEGMENTED, joint.likelihood());
        assertArrayEquals(new int[] {16 + 3 + 3 + 3}, joint.shape());
        assertEquals(Concatenation.NAME, joint.name());
        assertEquals(true, Concatenation.isConcatenated(model(1)));
        assertEquals(false, Concatenation.isConcatenated(ModelFixtures.model(1, DataType.DOUBLE)));
    }

    @Test
    void concatenatedBatchRoundTripsValuesAndPresence() {
        Batch batch = ModelFixtures.batch(4, 9, DataType.DOUBLE, ModelFixtures.someMissing());
        Batch joint = Concatenation.batch(batch);
        List<INDArray> back = Concatenation.split(ModelFixtures.MODALITIES, joint.tensors().get(0));
        for (int j = 0; j < 3; j++) {
            assertArrayEquals(batch.tensors().get(j).toDoubleMatrix(), back.get(j).toDoubleMatrix());
        }
        assertArrayEquals(batch.presence().toDoubleMatrix(),
                Concatenation.presence(ModelFixtures.MODALITIES, joint.tensors().get(0)).toDoubleMatrix());
        assertEquals(batch.step(), joint.step());
        assertArrayEquals(batch.rows(), joint.rows());
    }

    @Test
    void jointPresenceIsOneWhereTheRowObservesAnyModality() {
        double[][] presence = {{1, 0, 0}, {0, 0, 0}, {0, 1, 1}};
        Batch joint = Concatenation.batch(ModelFixtures.batch(0, 1, DataType.DOUBLE, presence));
        assertArrayEquals(new double[][] {{1}, {0}, {1}}, joint.presence().toDoubleMatrix());
    }

    @Test
    void absentValuesAreZeroInTheJointRow() {
        Batch batch = ModelFixtures.batch(0, 2, DataType.DOUBLE, ModelFixtures.someMissing());
        List<INDArray> noisy = batch.tensors().stream().map(INDArray::dup).toList();
        noisy.get(0).getRow(2).assign(0.77);   // row 2 has no image
        Batch changed = new Batch(batch.step(), batch.modalities(), noisy, batch.presence(), batch.rows());
        assertArrayEquals(Concatenation.batch(batch).tensors().get(0).toDoubleMatrix(),
                Concatenation.batch(changed).tensors().get(0).toDoubleMatrix());
    }

    @Test
    void termsAreTheLambdaWeightedLikelihoodsAndTheEncodersKl() {
        MultimodalVae model = model(21);
        Objective objective = Concatenation.objective(13);
        Batch joint = Concatenation.batch(ModelFixtures.batch(2, 5, DataType.DOUBLE, ModelFixtures.someMissing()));
        List<TermValue> terms = ReferenceModel.gradients(model, objective, joint, BETA).terms();
        EncoderStage.Forward enc = EncoderStage.forward(model.encoders().get(0), joint.tensors().get(0), joint.presence().getColumn(0));
        DecodeRequest req = objective.forward(List.of(enc.expert()), joint.presence(), joint.step(), BETA).requests().get(0);
        assertEquals(definitionNll(model, joint, req), value(terms, "nll[joint]"), 1e-10);
        assertEquals(definitionKl(enc.expert(), joint), value(terms, "kl[joint]"), 1e-10);
    }

    /** -(1/B) sum over requested rows of sum_m o_m lambda_m log p_m(x_m | decoder(z) segment m). */
    private static double definitionNll(MultimodalVae model, Batch joint, DecodeRequest req) {
        INDArray params = model.decoders().get(0).output(req.z());                     // [R, 22]
        INDArray x = joint.tensors().get(0);                                           // [B, 25]
        INDArray presence = Concatenation.presence(ModelFixtures.MODALITIES, x);       // [B, 3]
        double sum = 0;
        for (int r = 0; r < req.rows(); r++) {
            int b = req.dataRows()[r];
            List<INDArray> values = Concatenation.split(ModelFixtures.MODALITIES, x.getRow(b).reshape(1, -1).dup());
            int p = 0;
            for (int j = 0; j < 3; j++) {
                Likelihood l = Likelihoods.of(ModelFixtures.MODALITIES.get(j).likelihood(), 0.5);
                int size = l.paramSize(ModelFixtures.MODALITIES.get(j).size());
                INDArray pj = params.getRow(r).reshape(1, -1).get(NDArrayIndex.all(), NDArrayIndex.interval(p, p + size)).dup();  // [1, P_j]
                sum += presence.getDouble(b, j) * LAMBDAS[j] * l.logProb(pj, values.get(j)).getDouble(0);
                p += size;
            }
        }
        return -sum / joint.size();
    }

    /** (1/B) sum over rows observing anything of KL(N(mu, exp(logvar)) || N(0, I)) of the encoder's own output. */
    private static double definitionKl(Gaussian expert, Batch joint) {
        double sum = 0;
        for (int b = 0; b < joint.size(); b++) {
            for (int d = 0; d < ModelFixtures.LATENT && joint.presence().getDouble(b, 0) > 0; d++) {
                double mu = expert.mu().getDouble(b, d), lv = expert.logvar().getDouble(b, d);
                sum += 0.5 * (mu * mu + Math.exp(lv) - 1 - lv);
            }
        }
        return sum / joint.size();
    }

    private static double value(List<TermValue> terms, String name) {
        return terms.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void concatenatedGradientsMatchFiniteDifferencesWithMissingModalities() {
        Batch batch = ModelFixtures.batch(4, 9, DataType.DOUBLE, ModelFixtures.someMissing());
        ReferenceModelTest.assertGradientsMatchFiniteDifferences(model(3), Concatenation.objective(11),
                Concatenation.batch(batch), 12);
    }

    @Test
    void absentValuesDoNotChangeTheLossOrTheGradients() {
        MultimodalVae model = model(6);
        Objective objective = Concatenation.objective(14);
        Batch batch = ModelFixtures.batch(1, 2, DataType.DOUBLE, ModelFixtures.someMissing());
        List<INDArray> noisy = batch.tensors().stream().map(INDArray::dup).toList();
        noisy.get(1).getRow(1).assign(1.0);    // row 1 has no label
        noisy.get(2).getRow(3).assign(-3.0);   // row 3 has no features
        Batch changed = new Batch(batch.step(), batch.modalities(), noisy, batch.presence(), batch.rows());
        ReferenceModel.StepResult a = ReferenceModel.gradients(model, objective, Concatenation.batch(batch), BETA);
        ReferenceModel.StepResult b = ReferenceModel.gradients(model, objective, Concatenation.batch(changed), BETA);
        assertEquals(a.loss(), b.loss(), 0.0);
        assertArrayEquals(a.encoderGrads().get(0).toDoubleVector(), b.encoderGrads().get(0).toDoubleVector());
        assertArrayEquals(a.decoderGrads().get(0).toDoubleVector(), b.decoderGrads().get(0).toDoubleVector());
    }
}
