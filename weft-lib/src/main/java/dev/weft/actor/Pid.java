package dev.weft.actor;

/**
 * An actor's identity: the node it lives on, the slot it holds in its runtime's table of actors,
 * and the generation of that slot. When an actor ends, its slot is reused for a later actor with
 * the generation bumped, so a pid never aliases: a message to a pid whose actor has ended is
 * refused ({@link Actor#send} returns false), never delivered to whoever holds the slot now.
 *
 * <p>{@code toString} is Erlang's form, {@code <node.slot.generation>}, e.g. {@code <0.42.3>}.
 * Node 0 is the local node; the node is part of the identity so that a transport to other nodes
 * can route by it later without a change to user code (today every pid is local, node 0).
 *
 * <p>Pids compare equal when they name the same slot and generation in the same runtime: two
 * runtimes in one JVM have distinct pids even if they print alike. Pids are made by weft only.
 */
public final class Pid implements Comparable<Pid> {

    private final ActorSystem system;
    private final int node;
    private final int slot;
    private final int generation;

    Pid(ActorSystem system, int node, int slot, int generation) {
        this.system = system;
        this.node = node;
        this.slot = slot;
        this.generation = generation;
    }

    /** The node the actor lives on; 0 for this JVM's runtimes. */
    public int node() {
        return node;
    }

    /** The actor's slot in its runtime's table. */
    public int slot() {
        return slot;
    }

    /** The generation of the slot when the actor was spawned in it. */
    public int generation() {
        return generation;
    }

    ActorSystem system() {
        return system;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pid p && p.slot == slot && p.generation == generation && p.node == node
                && p.system == system;
    }

    @Override
    public int hashCode() {
        return (slot * 31 + generation) * 31 + node;
    }

    /** Orders by node, slot, then generation (for sorted output; not by age). */
    @Override
    public int compareTo(Pid o) {
        int c = Integer.compare(node, o.node);
        if (c == 0) {
            c = Integer.compare(slot, o.slot);
        }
        return c != 0 ? c : Integer.compare(generation, o.generation);
    }

    /** {@code <node.slot.generation>}, e.g. {@code <0.42.3>}. */
    @Override
    public String toString() {
        return "<" + node + "." + slot + "." + generation + ">";
    }
}
