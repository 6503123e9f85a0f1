/**
 * The {@code chorus} command line: {@link chorus.tools.Main} and one class per command (train, worker, bench,
 * data, evaluate, loglike, sample, traverse, factors, report), the launcher's {@link chorus.tools.MemoryPlanner},
 * and what only the commands share (common options, user errors). What the commands share with each other
 * lives below: {@code run} (run directory, checkpoints, stored config, provenance), {@code evaluation}
 * (opened checkpoints, conditions, metrics, sample grids), {@code plots}, {@code report}, {@code bench},
 * {@code memory} and {@code console}; those never import a command.
 */
package chorus.tools;
