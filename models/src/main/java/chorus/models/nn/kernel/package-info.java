/**
 * Chorus's own layer kernels ({@link chorus.models.nn.kernel.KernelStack} of dense, convolution and reshape
 * kernels with their {@link chorus.models.nn.kernel.Activations}), Adam over the flat parameter array
 * ({@link chorus.models.nn.kernel.FlatAdam}), the element-wise loops ({@code VectorMath}, on the JDK's Vector
 * API), the threads that split a layer's rows ({@link chorus.models.nn.kernel.IntraOp}) and the per-layer
 * timing profile ({@link chorus.models.nn.kernel.LayerProfile}). The lowest package of {@code nn}: imports
 * no other.
 */
package chorus.models.nn.kernel;
