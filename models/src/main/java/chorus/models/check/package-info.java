/**
 * Argument checks ({@link chorus.models.check.Checks}) used by the posterior and likelihood math and by
 * the actors that hand it tensors: each names the argument, what was found and what was expected, and
 * {@link chorus.models.check.Checks.NonFiniteException} marks the one failure a retry would repeat (NaN
 * or infinity). Not a model's mathematics, so it sits apart from {@code posterior} and every family.
 */
package chorus.models.check;
