/** The console side of a long command: a progress bar and Ctrl-C hooks. */
package chorus.tools.console;
