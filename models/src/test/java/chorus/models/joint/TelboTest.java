package chorus.models.joint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.data.Batch;
import chorus.models.GradCheck;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings.Combination;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.nn.Network;
import chorus.models.objective.Objective;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** TELBO: the single-modality terms train the unimodal encoders and leave the decoders' gradients alone. */
class TelboTest {

    private static final double[][] PRESENCE = {{1, 1, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};

    @BeforeAll
    static void doublePrecision() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    /**
     * The decoders' gradients are exactly those of the joint term alone (JMVAE with alpha = 0 draws the same
     * joint noise): the single terms add zero decoder gradient, while they do train the unimodal encoders.
     */
    @Test
    void singleTermsAddZeroDecoderGradient() {
        ModelSettings telbo = JointFixtures.settings(Combination.TELBO, 0, 21);
        ModelSettings s = JointFixtures.settings(Combination.JMVAE, 0, 21);
        ModelSettings jointOnly = new ModelSettings(s.latent(), 0, Combination.JMVAE, 0, false, s.estimator(), 1, s.seed(),
                s.learningRate(), s.annealing(), s.auxPriorScale(), s.tcAlpha(), s.memeSupervision(), s.concatHidden(),
                s.modalities(), 0.0);
        MultimodalVae model = JointFixtures.model(telbo);
        Batch batch = JointFixtures.batch(telbo, 5, PRESENCE);
        ReferenceModel.StepResult all = ReferenceModel.gradients(model, JointFixtures.objective(telbo), batch, 0.8);
        ReferenceModel.StepResult joint = ReferenceModel.gradients(model, JointFixtures.objective(jointOnly), batch, 0.8);
        for (int j = 0; j < 3; j++) {
            assertEquals(0.0, all.decoderGrads().get(j).sub(joint.decoderGrads().get(j)).norm2Number().doubleValue(), 1e-12,
                    "decoder " + j);
            assertEquals(0.0, joint.encoderGrads().get(j).norm2Number().doubleValue(), 0.0, "encoder " + j + " without singles");
            assertTrue(all.encoderGrads().get(j).norm2Number().doubleValue() > 1e-6, "encoder " + j + " trained by its single term");
        }
        assertEquals(0.0, all.encoderGrads().get(3).sub(joint.encoderGrads().get(3)).norm2Number().doubleValue(), 1e-12);
    }

    /** Every encoder's gradient (joint and unimodal) is the finite-difference gradient of the whole TELBO loss. */
    @Test
    void encoderGradientsMatchFiniteDifferencesOfTheLoss() {
        ModelSettings s = JointFixtures.settings(Combination.TELBO, 0, 22);
        MultimodalVae model = JointFixtures.model(s);
        Objective objective = JointFixtures.objective(s);
        Batch batch = JointFixtures.batch(s, 6, PRESENCE);
        ReferenceModel.StepResult r = ReferenceModel.gradients(model, objective, batch, 0.8);
        for (int j = 0; j < 4; j++) {
            Network net = model.encoders().get(j);
            INDArray params = net.params();
            int[] picked = {0, (int) params.length() / 3, (int) params.length() / 2, (int) params.length() - 1};
            double[] numeric = new double[picked.length];
            double[] analytic = new double[picked.length];
            for (int k = 0; k < picked.length; k++) {
                double original = params.getDouble(picked[k]);
                params.putScalar(picked[k], original + GradCheck.STEP);
                net.setParams(params);
                double up = ReferenceModel.evaluate(model, objective, batch, 0.8).loss();
                params.putScalar(picked[k], original - GradCheck.STEP);
                net.setParams(params);
                double down = ReferenceModel.evaluate(model, objective, batch, 0.8).loss();
                params.putScalar(picked[k], original);
                net.setParams(params);
                numeric[k] = (up - down) / (2 * GradCheck.STEP);
                analytic[k] = r.encoderGrads().get(j).getDouble(picked[k]);
            }
            double error = GradCheck.relativeError(Nd4j.createFromArray(analytic), Nd4j.createFromArray(numeric));
            assertTrue(error < GradCheck.TOLERANCE, "encoder " + j + ": relative error " + error);
        }
    }
}
