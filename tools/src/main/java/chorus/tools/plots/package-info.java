/** PNG figures: image grids, several image modalities side by side, training curves and latent embeddings. */
package chorus.tools.plots;
