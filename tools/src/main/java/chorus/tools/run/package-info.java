/**
 * What a training run leaves behind and reads back: {@link chorus.tools.run.Checkpoint} (parameters,
 * optimizer state, step, data cursor, resolved config and provenance in one atomically written file).
 */
package chorus.tools.run;
