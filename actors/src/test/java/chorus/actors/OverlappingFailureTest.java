package chorus.actors;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chorus.actors.coordinator.step.StepReport;
import chorus.actors.workers.FaultInjection;
import chorus.actors.workers.WorkerHooks;
import chorus.actors.workers.WorkerId;
import chorus.models.ModelFixtures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Real workers, two overlapping steps: step 2 commits while step 1 is still pending in encoder[0], then
 * step 1 fails for good. Step 2's update waits behind step 1 in the worker's step order, so it must end
 * as failed rather than leave its caller (the trainer) waiting forever.
 */
class OverlappingFailureTest {

    @Test
    void laterStepQueuedBehindAStepThatFailsForGoodStillEnds() {
        var options = TrainingSystem.Options.local("overlap", ActorFixtures.DTYPE, 3)
                .withHooks(WorkerHooks.faults(labelDecoderFailsStep1OnceStep2Commits())).withMaxRetries(0);
        try (TrainingSystem system = TrainingSystem.start(ModelFixtures.model(81, ActorFixtures.DTYPE),
                ActorFixtures.mvae(1), options)) {
            CompletableFuture<StepReport> first = system.step(ActorFixtures.batch(1, ModelFixtures.allObserved()), 1.0, 1)
                    .toCompletableFuture();
            CompletableFuture<StepReport> second = system.step(ActorFixtures.batch(2, ActorFixtures.noLabel()), 1.0, 2)
                    .toCompletableFuture();
            assertThrows(ExecutionException.class, () -> first.get(20, TimeUnit.SECONDS));
            ExecutionException e = assertThrows(ExecutionException.class, () -> second.get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("step 1"), e.getCause().getMessage());
        }
    }

    /** decoder[label] holds step 1's forward until encoder[image] commits step 2 (which has no label), then throws. */
    private static FaultInjection labelDecoderFailsStep1OnceStep2Commits() {
        CountDownLatch step2Committing = new CountDownLatch(1);
        return (w, phase, step, attempt) -> {
            if (w.equals(WorkerId.encoder(0)) && phase.equals("commit") && step == 2) {
                step2Committing.countDown();
            }
            if (w.equals(WorkerId.decoder(1)) && phase.equals("forward") && step == 1) {
                try {
                    step2Committing.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("injected");
            }
        };
    }
}
