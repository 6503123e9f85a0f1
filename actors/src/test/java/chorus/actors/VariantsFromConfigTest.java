package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.coordinator.TrainPlan;
import chorus.actors.coordinator.Trainer;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.Batch;
import chorus.data.BatchIterator;
import chorus.data.Dataset;
import chorus.data.config.ChorusConfig;
import chorus.models.ModelFactory;
import chorus.models.ModelFixtures;
import chorus.models.ModelSettings;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.objective.KlAnnealing;
import chorus.models.objective.Objective;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The variants as a config selects them (private + shared latents, the concatenated VAE) run through the
 * actor system exactly as through the reference model: one step's loss, terms and gradients, and a whole
 * run whose batches the loader converts with the model's input.
 */
class VariantsFromConfigTest {

    private static final String CONCAT = "chorus.model.combination=concat";

    @TempDir
    Path dir;

    private static ModelSettings settings(String... extra) {
        Map<String, String> o = new LinkedHashMap<>(Map.of("chorus.model.latent", "3", "chorus.model.seed", "71",
                "chorus.model.concat-hidden", "[6]", "chorus.model.modalities.label.weight", "2.5"));
        for (String kv : extra) {
            o.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        return ModelSettings.from(ChorusConfig.load(null, o), ModelFixtures.MODALITIES);
    }

    private static void assertSameStep(ModelSettings s) {
        Batch batch = ModelFactory.input(s).apply(ModelFixtures.batch(6, 4, DataType.DOUBLE, ModelFixtures.someMissing()));
        PrivateSharedEquivalenceTest.assertSameStep(ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.DOUBLE),
                ModelFactory.objective(s, ModelFixtures.MODALITIES), batch);
    }

    @Test
    void concatenatedStepFromConfigEqualsTheReferenceModelWithMissingModalities() {
        assertSameStep(settings(CONCAT));
    }

    @Test
    void privateLatentStepFromConfigEqualsTheReferenceModelWithMissingModalities() {
        assertSameStep(settings("chorus.model.private-latent=2", "chorus.model.random-subsets=1"));
    }

    @Test
    void concatenatedRunThroughTheLoaderEndsOnTheReferenceTrainersParameters() {
        ModelSettings s = settings(CONCAT);
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        UnaryOperator<Batch> input = ModelFactory.input(s);
        Objective objective = ModelFactory.objective(s, ModelFixtures.MODALITIES);
        KlAnnealing anneal = new KlAnnealing(4, 0.0);
        MultimodalVae model = ModelFactory.build(s, ModelFixtures.MODALITIES, DataType.FLOAT);
        MultimodalVae reference = model.copy();
        BatchIterator it = new BatchIterator(data, 8, 7, true, BatchIterator.Cursor.START, input);
        for (int step = 0; step < 8; step++) {
            ReferenceModel.train(reference, objective, it.next(), anneal.beta(step), step, 0);
        }
        List<WorkerState> states = new ArrayList<>();
        try (TrainingSystem system = TrainingSystem.start(model, objective, TrainingSystem.Options.local("variant-run",
                DataType.FLOAT, 1))) {
            Reporter.Settings reporting = new Reporter.Settings(4, 8, 5, system.modalities(), dir.resolve("m.jsonl"), null);
            Trainer.Finished f = system.train(TrainPlan.synchronous(0, 8, anneal),
                    new BatchIterator(data, 8, 7, true, BatchIterator.Cursor.START, input), 2, reporting, null,
                    (step, cursor, st) -> {
                        states.clear();
                        states.addAll(st);
                    }).toCompletableFuture().join();
            assertNull(f.error());
        }
        assertEquals(List.of("joint"), reference.modalities().stream().map(m -> m.name()).toList());
        assertEquals(2, states.size());
        for (WorkerState st : states) {
            var nets = st.worker().role() == WorkerId.Role.ENCODER ? reference.encoders() : reference.decoders();
            double diff = nets.get(0).params().sub(st.params()).amaxNumber().doubleValue();
            assertTrue(diff < 1e-4, st.worker() + ": max parameter difference " + diff);
        }
    }
}
