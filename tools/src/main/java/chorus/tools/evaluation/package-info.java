/**
 * What the evaluation commands and training's periodic evaluation share: a checkpoint opened with its test
 * split ({@link chorus.tools.evaluation.OpenedCheckpoint}), which modality is the image and which the label
 * ({@link chorus.tools.evaluation.Roles}), {@code --condition} values, the metric suite and its reports, the
 * likelihood table and the sample grids.
 */
package chorus.tools.evaluation;
