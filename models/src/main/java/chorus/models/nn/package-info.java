/**
 * Encoder and decoder networks trained with external errors: a {@link chorus.models.nn.Network}
 * runs forward, takes dL/d(output) computed elsewhere (the combiner, possibly in another actor)
 * and returns parameter and input gradients, then applies its own Adam step. Its passes
 * ({@link chorus.models.nn.Passes}) are Chorus's own kernels ({@link chorus.models.nn.KernelPasses})
 * or DL4J's layers ({@link chorus.models.nn.Dl4jPasses}); the recurrent networks bring theirs.
 *
 * <p>Subpackages, imports only downward: {@code arch} ({@link chorus.models.nn.arch.Networks} builds one
 * network per modality by architecture name: {@code mlp}, {@code conv}, {@code embedding}, {@code gru})
 * -> {@code sequence} (the GRU sequence networks) -> this package -> {@code kernel} (the layer kernels, Adam
 * over the flat parameters, intra-op threads); {@code cost} (FLOPs and memory) reads this package and
 * {@code kernel}. Every tensor crossing this package is 2-D {@code [batch, features]}; images are flattened
 * row-major as {@code [channels, height, width]}.
 */
package chorus.models.nn;
