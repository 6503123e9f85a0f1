/**
 * Several machines: the cluster settings, a worker node that hosts some modalities' workers, and the
 * coordinator's side that finds those workers through the Receptionist and loads its model into them.
 */
package chorus.actors.cluster;
