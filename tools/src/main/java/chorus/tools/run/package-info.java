/**
 * What a training run leaves behind and reads back: {@link chorus.tools.run.Checkpoint} (parameters,
 * optimizer state, step, data cursor, resolved config and provenance in one atomically written file), the run
 * directory and its lock, the config stored with a checkpoint ({@link chorus.tools.run.StoredConfig}) and what
 * produced a result ({@link chorus.tools.run.Provenance}), and {@link chorus.tools.run.RunSetup}, the one place
 * a config becomes data, model, objective and input for every command and the checkpoint reader.
 */
package chorus.tools.run;
