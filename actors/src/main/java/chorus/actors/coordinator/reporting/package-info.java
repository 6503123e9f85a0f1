/**
 * What the coordinator reports while it trains: the {@link chorus.actors.coordinator.reporting.Reporter} (log lines,
 * metrics.jsonl through {@link chorus.actors.coordinator.reporting.MetricsFile}, per-interval figures in
 * {@link chorus.actors.coordinator.reporting.Interval}) and the {@link chorus.actors.coordinator.reporting.Evaluator}
 * (test ELBO and the evaluation hook on its own copy of the model). Reads the step's reports
 * ({@code coordinator.step}) and the workers' states; the trainer in {@code chorus.actors.coordinator} drives both.
 */
package chorus.actors.coordinator.reporting;
