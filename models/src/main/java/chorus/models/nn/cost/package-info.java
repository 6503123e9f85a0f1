/**
 * What a network costs, for {@code bench} and the memory planner: floating-point operations per pass
 * ({@link chorus.models.nn.cost.NetworkFlops}) and bytes of parameters, optimiser state and activations
 * ({@link chorus.models.nn.cost.NetworkMemory}), from the layers' shapes.
 */
package chorus.models.nn.cost;
