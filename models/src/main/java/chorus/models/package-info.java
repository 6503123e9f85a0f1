/** Chorus models. */
package chorus.models;
