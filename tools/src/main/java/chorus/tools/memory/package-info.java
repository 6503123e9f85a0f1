/** The launcher's memory plan: what a run holds ({@link chorus.tools.memory.MemoryPlan}) and the JVM caps derived from it ({@link chorus.tools.memory.JvmCaps}). */
package chorus.tools.memory;
