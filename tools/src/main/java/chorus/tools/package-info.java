/** Chorus tools. */
package chorus.tools;
