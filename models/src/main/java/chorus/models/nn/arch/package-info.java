/**
 * The network architectures a modality can name ({@link chorus.models.nn.arch.Architecture}) and their
 * builders: {@link chorus.models.nn.arch.Networks} (by name), {@code MlpNetworks}, {@code ConvNetworks}
 * (with {@link chorus.models.nn.arch.ConvLayout}), {@code EmbeddingNetworks}; the sequence ones are in
 * {@code nn.sequence}.
 */
package chorus.models.nn.arch;
