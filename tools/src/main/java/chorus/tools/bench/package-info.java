/** What {@code chorus bench} measures besides step times: the machine's sgemm rate, per-actor and per-layer profiles, peak memory. */
package chorus.tools.bench;
