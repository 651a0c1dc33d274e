package dev.weft.ioqueue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The memory requests read into and write from, each destination under a handle that requests
 * name in their {@code dst} word: a region of native memory plus a base offset and a length. The
 * loop registers each distinct region with its ring as a fixed buffer (so a READ runs as
 * {@code READ_FIXED} straight into it), and a request's length must fit in its destination: no
 * request ever touches memory outside one.
 *
 * <pre>{@code
 * MemorySegment region = arena.allocate(1 << 20, 4096);
 * Destinations destinations = new Destinations()
 *         .add(0, region, 0, 4096)            // the first page
 *         .add(1, region, 4096, 65536);       // the next 64 KiB
 * }</pre>
 *
 * A region is native memory of 1 byte to 1 GiB (the kernel's limit for one fixed buffer):
 * anonymous memory (an {@link java.lang.foreign.Arena}'s) or a shared mapping of a file on tmpfs or
 * hugetlbfs (such as {@code /dev/shm}; the kernel refuses to pin pages of other file systems'
 * files). Its owner keeps it allocated until the loop has stopped: the loop checks before each
 * request that the region's arena is still open and completes a request into a freed one
 * DONE_ERROR {@link QueueError#DESTINATION_FREED}, but memory freed while a request is in the
 * kernel may still be written. Not thread-safe;
 * {@link IoLoop#start} copies it.
 */
public final class Destinations {

    /** The most distinct regions one loop registers (the kernel's fixed-buffer table limit). */
    public static final int MAX_REGIONS = 16384;
    /** The largest region: 1 GiB, the kernel's limit for one fixed buffer. */
    public static final long MAX_REGION_BYTES = dev.weft.io.RegionRegistry.MAX_REGION_BYTES;

    private record Entry(int handle, int region, long base, long length) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final List<MemorySegment> regions = new ArrayList<>();
    private int maxHandle = -1;

    /** No destinations yet. */
    public Destinations() {
    }

    /** Adds all of {@code region} under {@code handle}; see {@link #add(int, MemorySegment, long, long)}. */
    public Destinations add(int handle, MemorySegment region) {
        return add(handle, region, 0, region.byteSize());
    }

    /**
     * Adds {@code length} bytes of {@code region} from {@code base} under {@code handle}. Several
     * destinations may share a region (it is registered once).
     *
     * @return this
     * @throws IllegalArgumentException naming the value: a handle outside 0..65,535 or taken, a
     *                                  heap or oversized region, a base or length outside it
     */
    public Destinations add(int handle, MemorySegment region, long base, long length) {
        Objects.requireNonNull(region, "region");
        if (handle < 0 || handle > QueueAbi.MAX_HANDLE) {
            throw new IllegalArgumentException("destination handle " + handle + " is outside 0.." + QueueAbi.MAX_HANDLE
                    + "; use a handle in that range");
        }
        for (Entry e : entries) {
            if (e.handle == handle) {
                throw new IllegalArgumentException("destination handle " + handle + " is taken; give this destination"
                        + " another handle");
            }
        }
        if (!region.isNative()) {
            throw new IllegalArgumentException("destination " + handle + ": a heap segment cannot be a registered"
                    + " buffer; allocate the region from an Arena or map a file under /dev/shm");
        }
        if (region.byteSize() < 1 || region.byteSize() > MAX_REGION_BYTES) {
            throw new IllegalArgumentException("destination " + handle + ": a region has 1 byte to 1 GiB ("
                    + MAX_REGION_BYTES + "), this one " + region.byteSize() + "; split it into regions of 1 GiB at most");
        }
        if (base < 0 || length < 1 || base > region.byteSize() - length) {
            throw new IllegalArgumentException("destination " + handle + ": base " + base + " and length " + length
                    + " do not lie in its region of " + region.byteSize() + " bytes; give a length >= 1 that ends"
                    + " inside the region");
        }
        int r = regionIndex(region);
        if (r < 0) {
            if (regions.size() == MAX_REGIONS) {
                throw new IllegalArgumentException("destination " + handle + ": a loop registers at most "
                        + MAX_REGIONS + " distinct regions; let destinations share regions");
            }
            r = regions.size();
            regions.add(region);
        }
        entries.add(new Entry(handle, r, base, length));
        maxHandle = Math.max(maxHandle, handle);
        return this;
    }

    private int regionIndex(MemorySegment region) {
        for (int i = 0; i < regions.size(); i++) {
            MemorySegment m = regions.get(i);
            if (m.address() == region.address() && m.byteSize() == region.byteSize()) {
                return i;
            }
        }
        return -1;
    }

    /** The number of destinations. */
    public int size() {
        return entries.size();
    }

    /** A copy, for a loop to keep. */
    Destinations copy() {
        Destinations c = new Destinations();
        c.entries.addAll(entries);
        c.regions.addAll(regions);
        c.maxHandle = maxHandle;
        return c;
    }

    int maxHandle() {
        return maxHandle;
    }

    int handle(int i) {
        return entries.get(i).handle;
    }

    /** The destination's base address. */
    long address(int i) {
        Entry e = entries.get(i);
        return regions.get(e.region).address() + e.base;
    }

    long length(int i) {
        return entries.get(i).length;
    }

    /** The fixed-buffer index of the destination's region. */
    int regionIndex(int i) {
        return entries.get(i).region;
    }

    /** The scope of each distinct region, in fixed-buffer order: alive while its memory is. */
    MemorySegment.Scope[] regionScopes() {
        MemorySegment.Scope[] scopes = new MemorySegment.Scope[regions.size()];
        for (int i = 0; i < scopes.length; i++) {
            scopes[i] = regions.get(i).scope();
        }
        return scopes;
    }

    /** The distinct regions, in fixed-buffer order. */
    List<MemorySegment> regions() {
        return List.copyOf(regions);
    }
}
