/** CelebA: the attribute and partition lists, the aligned JPEGs decoded and cached, and its settings. */
package chorus.data.celeba;
