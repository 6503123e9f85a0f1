package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Twenty float training steps through the actors land on the reference trainer's parameters. */
class TrainingEquivalenceTest {

    @Test
    void twentyStepsThroughTheActorsEqualTwentyReferenceSteps() {
        MultimodalVae reference = ModelFixtures.model(51, DataType.FLOAT);
        MultimodalVae owned = reference.copy();
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, new double[] {1, 5, 1}, 52);
        try (TrainingSystem system = TrainingSystem.start("train-test", owned, mvae, DataType.FLOAT, ConfigFactory.empty())) {
            for (int step = 0; step < 20; step++) {
                double[][] presence = step % 3 == 0 ? ModelFixtures.someMissing() : ModelFixtures.allObserved();
                Batch batch = ModelFixtures.batch(step, 100 + step, DataType.FLOAT, presence);
                double beta = Math.min(1.0, step / 10.0);
                ReferenceModel.train(reference, mvae, batch, beta, step, 0);
                system.step(batch, beta, step).toCompletableFuture().join();
            }
            List<WorkerState> states = system.snapshot();
            for (int j = 0; j < 3; j++) {
                assertClose("encoder " + j, reference.encoders().get(j).params(), states.get(j).params());
                assertClose("decoder " + j, reference.decoders().get(j).params(), states.get(3 + j).params());
            }
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff < 1e-4, what + ": max parameter difference " + diff);
        assertTrue(expected.equalsWithEps(actual, 1e-4), what);
    }
}
