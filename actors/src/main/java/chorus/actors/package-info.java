/** Chorus actors. */
package chorus.actors;
