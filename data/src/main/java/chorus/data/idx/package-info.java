/** IDX files ({@link chorus.data.idx.IdxReader}) and Fashion-MNIST, the dataset stored in them. */
package chorus.data.idx;
