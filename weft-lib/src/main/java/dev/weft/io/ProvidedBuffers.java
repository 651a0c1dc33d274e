package dev.weft.io;

import dev.weft.uring.Abi;
import dev.weft.uring.BufferRing;
import dev.weft.uring.ErrnoException;
import dev.weft.uring.Ring;

import java.nio.ByteBuffer;

/**
 * A worker's provided-buffer ring for receives into heap buffers: the kernel picks a buffer for
 * each such receive ({@code IOSQE_BUFFER_SELECT}), the CQE names it, and the worker copies the
 * bytes into the task's heap buffer and recycles it. One per {@link UringDriver}.
 *
 * <h2>What it owns, which thread touches what</h2>
 * The {@link BufferRing} ({@value #COUNT} buffers of {@value #BUFFER_SIZE} bytes, group
 * {@value #GROUP}), registered on first use (a runtime that never receives into heap memory does
 * not pay for it); unavailable before Linux 5.19, where such receives use {@link StagingBuffers}.
 * Owner thread only.
 */
final class ProvidedBuffers implements AutoCloseable {

    /** The buffer group receives select from. */
    static final int GROUP = 0;
    /** Bytes per buffer: the most one receive into a heap buffer takes. */
    static final int BUFFER_SIZE = 16 * 1024;
    private static final int COUNT = 256;

    private final Ring ring;
    private BufferRing buffers; // null until the first receive into a heap buffer, or without support
    private boolean tried;
    /** {@code -Dweft.io.noProvidedBuffers}: receive as before Linux 5.19 (tests reach the staged path this way). */
    private final boolean off = Boolean.getBoolean("weft.io.noProvidedBuffers");
    /** Native memory of the ring once registered; written by the owner, read by stats (opaque). */
    private long bytesHeld;

    ProvidedBuffers(Ring ring) {
        this.ring = ring;
    }

    /** Whether receives can select a buffer; registers the ring on the first call. */
    boolean available() {
        if (!tried) {
            tried = true;
            if (off) {
                return false;
            }
            try {
                buffers = BufferRing.register(ring, GROUP, COUNT, BUFFER_SIZE);
                BYTES_HELD.setOpaque(this, (long) COUNT * (BUFFER_SIZE + Abi.BUF_SIZE));
            } catch (ErrnoException e) {
                buffers = null;
            }
        }
        return buffers != null;
    }

    /** Copies {@code n} received bytes of buffer {@code id} into {@code dst} at its position. */
    void copyOut(int id, ByteBuffer dst, int n) {
        UringOp.copyInto(dst, buffers.buffer(id), n);
    }

    /** Gives buffer {@code id} back to the kernel. */
    void recycle(int id) {
        buffers.recycle(id);
    }

    /** Native memory the ring holds now (buffers and ring entries; 0 before the first heap receive); any thread. */
    long bytesHeld() {
        return (long) BYTES_HELD.getOpaque(this);
    }

    @Override
    public void close() {
        if (buffers != null) {
            buffers.close();
            BYTES_HELD.setOpaque(this, 0L);
        }
    }

    private static final java.lang.invoke.VarHandle BYTES_HELD;

    static {
        try {
            BYTES_HELD = java.lang.invoke.MethodHandles.lookup().findVarHandle(ProvidedBuffers.class, "bytesHeld", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
