/** The byte format of the worker messages that cross nodes (Akka serializer, array codec, one codec per message). */
package chorus.actors.wire;
