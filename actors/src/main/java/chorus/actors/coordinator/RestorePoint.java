package chorus.actors.coordinator;

import chorus.actors.workers.WorkerState;
import chorus.data.BatchIterator;
import java.util.List;

/**
 * The last snapshot the trainer took (at the start, a checkpoint or an evaluation), kept while a lost worker node
 * can be replaced: every worker's parameters and Adam state after {@code step} steps and the data cursor there,
 * what a checkpoint holds. After a loss every worker is loaded with it and the steps from {@code step} are redone.
 */
record RestorePoint(long step, BatchIterator.Cursor cursor, List<WorkerState> states) {
}
