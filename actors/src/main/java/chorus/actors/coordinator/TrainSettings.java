package chorus.actors.coordinator;

import chorus.data.config.Settings;
import com.typesafe.config.Config;

/**
 * How a run trains, read once from {@code chorus.train}, {@code chorus.pipeline} and {@code chorus.async}
 * (see conf/reference.conf for each key).
 */
public record TrainSettings(long maxSteps, int epochs, int reportEvery, int evalEvery, int evalLimit,
                            int checkpointEvery, int keepCheckpoints, int maxRetries, int inFlight, int prefetch,
                            int maxStaleness) {

    public static TrainSettings from(Config root) {
        String t = "chorus.train";
        return new TrainSettings(
                Settings.longValue(root, t + ".max-steps"),
                Settings.intIn(root, t + ".epochs", 1, 1_000_000),
                Settings.intIn(root, t + ".report-every", 1, Integer.MAX_VALUE),
                Settings.intIn(root, t + ".eval-every", 0, Integer.MAX_VALUE),
                Settings.intIn(root, t + ".eval-limit", 0, Integer.MAX_VALUE),
                Settings.intIn(root, t + ".checkpoint-every", 0, Integer.MAX_VALUE),
                Settings.intIn(root, t + ".keep-checkpoints", 1, 1000),
                Settings.intIn(root, t + ".max-retries", 0, 100),
                Settings.intIn(root, "chorus.pipeline.in-flight", 1, 64),
                Settings.intIn(root, "chorus.pipeline.prefetch", 1, 64),
                Settings.intIn(root, "chorus.async.max-staleness", 0, 64));
    }

    /** The step a run stops at: max-steps if set, else epochs of {@code batchesPerEpoch}. */
    public long endStep(long batchesPerEpoch) {
        return maxSteps > 0 ? maxSteps : epochs * batchesPerEpoch;
    }
}
