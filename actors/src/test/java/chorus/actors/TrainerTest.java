package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chorus.actors.coordinator.TrainPlan;
import chorus.actors.coordinator.Trainer;
import chorus.actors.coordinator.reporting.Reporter;
import chorus.actors.workers.FaultInjection;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.actors.workers.WorkerState;
import chorus.data.BatchIterator;
import chorus.data.Dataset;
import chorus.models.ModelFixtures;
import chorus.models.MultimodalVae;
import chorus.models.ReferenceModel;
import chorus.models.evaluation.likelihood.TestElbo;
import chorus.models.objective.KlAnnealing;
import chorus.models.objective.Objective;
import chorus.models.poe.ElboObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.LoggerFactory;

/** Whole runs through the trainer: the reference trainer's parameters, async bounds, failures. */
class TrainerTest {

    private static final double[] LAMBDAS = {1, 3, 1};
    private static final int BATCH = 8;
    private static final KlAnnealing ANNEAL = new KlAnnealing(4, 0.0);

    @TempDir
    Path dir;

    /** What a run ended with: its summary and the states the final checkpoint received. */
    private record Run(Trainer.Finished finished, List<WorkerState> states, List<Long> checkpoints) {
    }

    private Run train(MultimodalVae model, Objective objective, Dataset data, TrainPlan plan, FaultInjection faults) {
        return train(model, objective, data, plan, faults, dir.resolve("metrics.jsonl"));
    }

    private Run train(MultimodalVae model, Objective objective, Dataset data, TrainPlan plan, FaultInjection faults,
                      Path metrics) {
        List<WorkerState> last = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        TrainingSystem.Options options = TrainingSystem.Options.local("trainer-test", DataType.FLOAT, 3).withHooks(WorkerHooks.faults(faults));
        try (TrainingSystem system = TrainingSystem.start(model, objective, options)) {
            Reporter.Settings reporting = new Reporter.Settings(3, plan.endStep(), 5, system.modalities(),
                    metrics, null);
            Trainer.Finished f = system.train(plan, BatchIterator.training(data, BATCH, 7), 2, reporting, null,
                    (step, cursor, states) -> {
                        checkpoints.add(step);
                        last.clear();
                        last.addAll(states);
                    }).toCompletableFuture().join();
            return new Run(f, List.copyOf(last), checkpoints);
        }
    }

    private static MultimodalVae trainReference(MultimodalVae model, Objective objective, Dataset data, int steps) {
        BatchIterator it = BatchIterator.training(data, BATCH, 7);
        for (int step = 0; step < steps; step++) {
            ReferenceModel.train(model, objective, it.next(), ANNEAL.beta(step), step, 0);
        }
        return model;
    }

    @Test
    void aSynchronousRunEndsOnTheReferenceTrainersParameters() {
        Dataset data = ModelFixtures.dataset("train", 40, 3); // 5 batches per epoch: the run crosses an epoch
        MultimodalVae model = ModelFixtures.model(61, DataType.FLOAT);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 62);
        MultimodalVae reference = trainReference(model.copy(), mvae, data, 8);
        Run run = train(model, mvae, data, TrainPlan.synchronous(0, 8, ANNEAL), FaultInjection.NONE);
        assertNull(run.finished().error());
        assertEquals(8, run.finished().endStep());
        assertEquals(new BatchIterator.Cursor(1, 24), run.finished().cursor());
        assertSameParameters(reference, run.states(), 1e-4);
    }

    @Test
    void checkpointsComeEveryNStepsAndAtTheEnd() {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        TrainPlan plan = new TrainPlan(0, 7, 2, 1, ANNEAL, 0, 3);
        Run run = train(ModelFixtures.model(61, DataType.FLOAT), mvae, data, plan, FaultInjection.NONE);
        assertEquals(List.of(3L, 6L, 7L), run.checkpoints());
    }

    @Test
    void metricsFileHasARecordPerReportingInterval() throws Exception {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        train(ModelFixtures.model(61, DataType.FLOAT), mvae, data, TrainPlan.synchronous(0, 7, ANNEAL), FaultInjection.NONE);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        assertEquals(3, lines.size(), lines.toString()); // after steps 3, 6 and the last, 7
        assertTrue(lines.get(2).contains("\"step\":7") && lines.get(2).contains("\"terms\":{"), lines.get(2));
    }

    @Test
    void aWorkerFailureInjectedOnceEndsOnTheSameParameters() {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 62);
        MultimodalVae model = ModelFixtures.model(63, DataType.FLOAT);
        TrainPlan plan = TrainPlan.synchronous(0, 6, ANNEAL);
        Run clean = train(model.copy(), mvae, data, plan, FaultInjection.NONE);
        Run failed = train(model, mvae, data, plan, FaultInjection.once(WorkerId.encoder(0), "backward", 3));
        assertNull(failed.finished().error());
        assertEquals(1, failed.finished().summary().retries());
        for (int i = 0; i < clean.states().size(); i++) {
            assertEquals(clean.states().get(i).params(), failed.states().get(i).params(), "worker " + i);
            assertEquals(clean.states().get(i).updaterState(), failed.states().get(i).updaterState(), "worker " + i);
        }
    }

    /**
     * Issue 16, fault 7a: decoder[image]'s update of step 3 changes its parameters, then throws; the worker undoes
     * it and applies it again when the combiner recommits, so the run ends bit for bit where an uninterrupted one
     * does (an update applied twice, or half, would not).
     */
    @Test
    void anUpdateThatFailsOnceIsUndoneAndRetriedAndEndsOnTheSameParameters() {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 1, LAMBDAS, 62);
        MultimodalVae model = ModelFixtures.model(65, DataType.FLOAT);
        TrainPlan plan = TrainPlan.synchronous(0, 6, ANNEAL);
        Run clean = train(model.copy(), mvae, data, plan, FaultInjection.NONE);
        Run failed = train(model, mvae, data, plan, FaultInjection.once(WorkerId.decoder(0), "update", 3));
        assertNull(failed.finished().error());
        assertEquals(1, failed.finished().summary().retries());
        for (int i = 0; i < clean.states().size(); i++) {
            assertEquals(clean.states().get(i).params(), failed.states().get(i).params(), "worker " + i);
            assertEquals(clean.states().get(i).updaterState(), failed.states().get(i).updaterState(), "worker " + i);
        }
    }

    @Test
    void anUpdateThatKeepsFailingStopsTheRunNamingTheStepAndTheWorker() {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        FaultInjection always = (w, phase, step, attempt) -> {
            if (w.equals(WorkerId.encoder(1)) && phase.equals("update") && step == 2) {
                throw new IllegalStateException("injected update failure");
            }
        };
        Run run = train(ModelFixtures.model(66, DataType.FLOAT), mvae, data, TrainPlan.synchronous(0, 5, ANNEAL), always);
        String error = run.finished().error();
        assertTrue(error != null && error.contains("step 2") && error.contains("encoder of modality 'label'")
                && error.contains("undone") && error.contains("chorus.train.max-retries"), error);
        assertEquals(2, run.finished().endStep(), "steps 0 and 1 completed");
    }

    @Test
    void aDecoderFailureAfterItsForwardIsRetriedToo() {
        Dataset data = ModelFixtures.dataset("train", 40, 3);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        MultimodalVae model = ModelFixtures.model(64, DataType.FLOAT);
        MultimodalVae reference = trainReference(model.copy(), mvae, data, 5);
        Run run = train(model, mvae, data, TrainPlan.synchronous(0, 5, ANNEAL),
                FaultInjection.once(WorkerId.decoder(1), "forward", 2));
        assertEquals(1, run.finished().summary().retries());
        assertSameParameters(reference, run.states(), 1e-4);
    }

    @Test
    void asyncRunOverlapsStepsButNoUpdateLagsMoreThanTheBound() {
        Dataset data = ModelFixtures.dataset("train", 64, 5);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 65);
        MultimodalVae model = ModelFixtures.model(66, DataType.FLOAT);
        double before = TestElbo.evaluate(model, mvae, data, 16, 0).loss();
        TrainPlan plan = new TrainPlan(0, 120, 4, 2, new KlAnnealing(0, 1.0), 0, 0);
        Run run = train(model, mvae, data, plan, FaultInjection.NONE);
        MultimodalVae trained = ModelFixtures.model(66, DataType.FLOAT);
        load(trained, run.states());
        double after = TestElbo.evaluate(trained, mvae, data, 16, 0).loss();
        long lag = run.finished().summary().maxStaleness();
        assertTrue(lag >= 1 && lag <= 2, "max staleness " + lag + ", expected overlap bounded by 2");
        assertTrue(after < before - 1.0, "loss " + before + " -> " + after);
    }

    /** The fixture data with a NaN in row {@code row} of the third modality. */
    private static Dataset withNan(int row) {
        Dataset clean = ModelFixtures.dataset("train", 40, 3);
        List<INDArray> tensors = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            tensors.add(clean.batch(0, java.util.stream.IntStream.range(0, 40).toArray()).tensors().get(j).dup());
        }
        tensors.get(2).putScalar(new long[] {row, 1}, Double.NaN);
        return Dataset.fullyObserved("nan", "train", "test", ModelFixtures.MODALITIES, tensors, null);
    }

    @Test
    void aNanInTheDataStopsTheRunNamingTheModality() {
        Dataset data = withNan(5);
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        Run run = train(ModelFixtures.model(61, DataType.FLOAT), mvae, data, TrainPlan.synchronous(0, 10, ANNEAL),
                FaultInjection.NONE);
        assertNotNull(run.finished().error());
        assertTrue(run.finished().error().contains("'features'") && run.finished().error().contains("NaN"),
                run.finished().error());
        assertTrue(run.checkpoints().isEmpty(), "no checkpoint after a failure: the last good one stays");
    }

    @Test
    void aFailedStepIsNotCountedAsTrained() {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        Run run = train(ModelFixtures.model(61, DataType.FLOAT), mvae, withNan(5), TrainPlan.synchronous(0, 10, ANNEAL),
                FaultInjection.NONE);
        assertNotNull(run.finished().error());
        long failed = Long.parseLong(run.finished().error().replaceFirst("^step (\\d+).*", "$1"));
        assertEquals(failed, run.finished().endStep(), "steps 0.." + (failed - 1) + " completed: " + run.finished().error());
        assertEquals(failed, run.finished().summary().steps());
    }

    @Test
    void aNanStopLogsNoStackTrace() {
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(events);
        try {
            Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
            train(ModelFixtures.model(61, DataType.FLOAT), mvae, withNan(5), TrainPlan.synchronous(0, 10, ANNEAL),
                    FaultInjection.NONE);
        } finally {
            root.detachAppender(events);
        }
        List<String> traced = events.list.stream().filter(e -> e.getThrowableProxy() != null)
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertTrue(traced.isEmpty(), "logged with a stack trace: " + traced);
    }

    @Test
    void aMetricsFileThatCannotBeWrittenStopsTheRunWithoutAnotherCheckpoint() {
        Objective mvae = ElboObjective.mvae(ModelFixtures.MODALITIES, 0, LAMBDAS, 62);
        TrainPlan plan = new TrainPlan(0, 40, 1, 0, ANNEAL, 0, 2); // a metrics line every 3 steps (see train), a checkpoint every 2
        Run run = assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> train(ModelFixtures.model(61, DataType.FLOAT),
                mvae, ModelFixtures.dataset("train", 40, 3), plan, FaultInjection.NONE, Path.of("/dev/full")));
        assertEquals("cannot write the metrics file /dev/full: No space left on device", run.finished().error());
        assertTrue(run.checkpoints().contains(2L) && !run.checkpoints().contains(40L), run.checkpoints().toString());
        assertTrue(run.finished().endStep() < 10, "stopped at step " + run.finished().endStep());
    }

    private static void load(MultimodalVae model, List<WorkerState> states) {
        for (WorkerState s : states) {
            var nets = s.worker().role() == WorkerId.Role.ENCODER ? model.encoders() : model.decoders();
            nets.get(s.worker().modality()).setParams(s.params());
        }
    }

    private static void assertSameParameters(MultimodalVae reference, List<WorkerState> states, double tol) {
        assertEquals(6, states.size());
        for (WorkerState s : states) {
            var nets = s.worker().role() == WorkerId.Role.ENCODER ? reference.encoders() : reference.decoders();
            INDArray expected = nets.get(s.worker().modality()).params();
            double diff = expected.sub(s.params()).amaxNumber().doubleValue();
            assertTrue(diff < tol, s.worker() + ": max parameter difference " + diff);
        }
    }

    static {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
}
