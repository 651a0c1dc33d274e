package dev.weft.io;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The I/O state one runtime's drivers share: the backend, the registered-region table (io_uring
 * only), the open listeners, and whether the runtime is shutting down.
 *
 * <h2>Shutdown</h2>
 * {@link #stopAccepting()} marks the group and closes every listener, so waiting accepts fail and
 * no new connection arrives; operations in flight go on. {@link #cancelAll()} then asks every
 * driver to cancel what is still in flight; a task whose operation is cancelled this way gets
 * {@link java.io.InterruptedIOException} saying the runtime shut down.
 */
public final class IoGroup {

    private final String backend;
    private final List<IoDriver> drivers;
    private final RegionRegistry regions;
    private volatile FileTable files;
    private final Set<SocketHandle> listeners = ConcurrentHashMap.newKeySet();
    private volatile boolean shuttingDown;
    private volatile boolean cancelling;
    /** The first driver failure, or null; set once. */
    private final java.util.concurrent.atomic.AtomicReference<java.io.IOException> failure =
            new java.util.concurrent.atomic.AtomicReference<>();

    IoGroup(String backend, List<IoDriver> drivers, int regionSlots, dev.weft.uring.KernelFeatures kernel) {
        this.backend = backend;
        this.drivers = List.copyOf(drivers);
        // Regions are fixed buffers in a sparse table, which came with Linux 5.19.
        this.regions = backend.equals("io_uring") && kernel.sparseBuffers() ? new RegionRegistry(regionSlots, new RegionRegistry.Workers() {
            @Override
            public int count() {
                return IoGroup.this.drivers.size();
            }

            @Override
            public void createTable(int index, int slots, java.util.function.IntConsumer done) {
                ((UringDriver) IoGroup.this.drivers.get(index)).createRegionTable(slots, done);
            }

            @Override
            public void update(int index, int slot, long address, long length, java.util.function.IntConsumer done) {
                ((UringDriver) IoGroup.this.drivers.get(index)).updateRegion(slot, address, length, done);
            }
        }) : null;
    }

    public String backend() {
        return backend;
    }

    /** The registered-file table, made at first use; null on a backend without one (NIO). */
    FileTable files() {
        FileTable f = files;
        if (f == null && backend.equals("io_uring")) {
            synchronized (this) {
                f = files;
                if (f == null) {
                    files = f = new FileTable(FileTable.SLOTS, FileTable.of(drivers));
                }
            }
        }
        return f;
    }

    /** Whether {@code table} is this runtime's registered-file table (never made here: false until {@link #files()}). */
    boolean holds(FileTable table) {
        return table != null && files == table;
    }

    /** The region table, or null on a backend without one (NIO, io_uring before Linux 5.19). */
    public RegionRegistry regions() {
        return regions;
    }

    /** Tracks a listener so that shutdown can close it. */
    public void listening(SocketHandle listener) {
        listeners.add(listener);
        if (shuttingDown) {
            listener.close();
        }
    }

    public void stoppedListening(SocketHandle listener) {
        listeners.remove(listener);
    }

    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /**
     * Whether {@link #cancelAll()} was called: a wait that starts now is cancelled at once (the
     * drivers' cancellation may have run already). Before that, during the grace period, waits
     * go on.
     */
    public boolean isCancelling() {
        return cancelling;
    }

    /** Closes every listener; later binds fail. */
    public void stopAccepting() {
        shuttingDown = true;
        for (SocketHandle l : listeners) {
            l.close();
        }
    }

    /**
     * A driver failed ({@code f} says why): the runtime's I/O is failed from now on. The first
     * failure is logged once ({@code dev.weft.io}, ERROR) and kept; every driver cancels what it
     * has in flight, and those operations, and every one that starts later, fail with an
     * {@link java.io.IOException} caused by it. Later failures only add to nothing: the first stands.
     */
    public void failed(java.io.IOException f) {
        if (!failure.compareAndSet(null, f)) {
            return;
        }
        System.getLogger("dev.weft.io").log(System.Logger.Level.ERROR, f.getMessage()
                + "; every I/O operation of this runtime fails from now on: shut it down", f);
        for (IoDriver d : drivers) {
            d.cancelAll();
        }
    }

    /** The failure that ended this runtime's I/O ({@link #failed}), or null. */
    public java.io.IOException failure() {
        return failure.get();
    }

    /** Cancels every operation still in flight on every driver. */
    public void cancelAll() {
        shuttingDown = true;
        cancelling = true; // before the drivers' messages: a task registering after they ran reads it
        for (IoDriver d : drivers) {
            d.cancelAll();
        }
    }
}
