/** Modalities, datasets, batches with presence masks, and validated settings. */
package chorus.data;
