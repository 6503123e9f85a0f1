/** Vision transforms ({@code chorus.data.transforms}) whose results join a dataset as extra modalities. */
package chorus.data.transform;
