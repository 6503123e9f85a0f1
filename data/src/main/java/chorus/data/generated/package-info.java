/**
 * Datasets generated from other data with a fixed seed: MultiMNIST (digit strings), PolyMNIST (digits on
 * textures), TwoViews (two views of Fashion-MNIST with known factors). Each reads its sources through the
 * core and the reader packages.
 */
package chorus.data.generated;
