/**
 * Recurrent networks over one-hot sequences: {@link chorus.models.nn.sequence.SequenceNetworks} builds a GRU
 * encoder and a GRU decoder whose passes ({@code RecurrentPasses}) run a hand-written GRU layer over
 * parameter blocks kept in a DL4J network's flat array, so Adam and checkpoints treat them like any network.
 */
package chorus.models.nn.sequence;
