/**
 * Encoder and decoder networks trained with external errors: a {@link chorus.models.nn.Network}
 * runs forward, takes dL/d(output) computed elsewhere (the combiner, possibly in another actor)
 * and returns parameter and input gradients, then applies its own Adam step.
 *
 * <p>{@link chorus.models.nn.Networks} builds one per modality by architecture name:
 * {@code mlp}, {@code conv} or {@code embedding}. Every tensor crossing this package is 2-D
 * {@code [batch, features]}; images are flattened row-major as {@code [channels, height, width]}.
 */
package chorus.models.nn;
