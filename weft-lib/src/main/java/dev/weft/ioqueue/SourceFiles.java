package dev.weft.ioqueue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files an {@link IoLoop} serves, each under a handle that requests name in their
 * {@code src} word. The loop opens each file when it starts (it never creates one), registers
 * them with its ring as fixed files, and closes them when it stops.
 *
 * <pre>{@code
 * SourceFiles files = new SourceFiles()
 *         .add(1, Path.of("data.bin"), SourceFiles.Access.READ)
 *         .add(2, Path.of("log.bin"), SourceFiles.Access.READ_WRITE);
 * }</pre>
 *
 * A file opened for one direction fails requests of the other with the kernel's
 * {@code EBADF} ({@code QueueError.fromErrno(EBADF)}). A file added with {@link #addDirect} is
 * opened with {@code O_DIRECT}. Not thread-safe; {@link IoLoop#start} copies it.
 */
public final class SourceFiles {

    /** How a file is opened: which requests may use it. */
    public enum Access {
        /** READ requests only. */
        READ,
        /** WRITE requests only. */
        WRITE,
        /** Both. */
        READ_WRITE
    }

    private record Entry(int handle, Path path, Access access, boolean direct) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private int maxHandle = -1;

    /** No files yet. */
    public SourceFiles() {
    }

    /**
     * Adds {@code path} under {@code handle}.
     *
     * @return this
     * @throws IllegalArgumentException naming the handle when it is outside 0..65,535 or taken
     */
    public SourceFiles add(int handle, Path path, Access access) {
        return add(handle, path, access, false);
    }

    /**
     * Adds {@code path} under {@code handle}, opened with {@code O_DIRECT}: its transfers bypass
     * the page cache, and each request's file offset, length and destination address must be
     * aligned as the file system needs (its logical block size: 512 bytes or 4 KiB), else the
     * request completes DONE_ERROR with {@code QueueError.fromErrno(EINVAL)}, and the loop goes on.
     * A file system without O_DIRECT (tmpfs before Linux 6.6) makes {@link IoLoop#start} fail,
     * saying so.
     *
     * @return this
     * @throws IllegalArgumentException naming the handle when it is outside 0..65,535 or taken
     */
    public SourceFiles addDirect(int handle, Path path, Access access) {
        return add(handle, path, access, true);
    }

    private SourceFiles add(int handle, Path path, Access access, boolean direct) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(access, "access");
        if (handle < 0 || handle > QueueAbi.MAX_HANDLE) {
            throw new IllegalArgumentException("file handle " + handle + " is outside 0.." + QueueAbi.MAX_HANDLE
                    + "; use a handle in that range");
        }
        for (Entry e : entries) {
            if (e.handle == handle) {
                throw new IllegalArgumentException("file handle " + handle + " is taken by " + e.path
                        + "; give " + path + " another handle");
            }
        }
        entries.add(new Entry(handle, path, access, direct));
        maxHandle = Math.max(maxHandle, handle);
        return this;
    }

    /** The number of files. */
    public int size() {
        return entries.size();
    }

    /** A copy, for a loop to keep. */
    SourceFiles copy() {
        SourceFiles c = new SourceFiles();
        c.entries.addAll(entries);
        c.maxHandle = maxHandle;
        return c;
    }

    int maxHandle() {
        return maxHandle;
    }

    int handle(int i) {
        return entries.get(i).handle;
    }

    Path path(int i) {
        return entries.get(i).path;
    }

    Access access(int i) {
        return entries.get(i).access;
    }

    boolean direct(int i) {
        return entries.get(i).direct;
    }
}
