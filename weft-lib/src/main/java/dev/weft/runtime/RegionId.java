package dev.weft.runtime;

/**
 * A memory region registered with {@link Weft#registerRegion}: a slot of every worker's
 * fixed-buffer table, and the slot's generation, so an id kept after its region was unregistered
 * is rejected instead of naming whatever took the slot next.
 *
 * @param slot       the fixed-buffer index, the same on every worker's ring
 * @param generation counts registrations of the slot; never 0 for a real region
 */
public record RegionId(int slot, int generation) {

    /** The sentinel: no region. Unregistering it fails. */
    public static final RegionId NONE = new RegionId(-1, 0);
}
