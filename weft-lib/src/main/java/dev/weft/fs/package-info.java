/**
 * Files for weft tasks: {@link dev.weft.fs.FileHandle}, positional reads and writes that park the
 * task, not the worker. Underneath, each call is an operation on the current worker's driver: one
 * SQE in a batched {@code io_uring_enter} on Linux ({@code OPENAT}, {@code READ}, {@code WRITE},
 * {@code READ_FIXED}/{@code WRITE_FIXED}, {@code FSYNC}, {@code STATX}, {@code SPLICE}), a
 * {@link java.nio.channels.FileChannel} call on the runtime's bounded blocking pool on the NIO
 * fallback. The same API, and the same errors, on both.
 *
 * <p>A file served over TCP without copying it through the JVM's heap
 * ({@link dev.weft.fs.FileHandle#transferTo}):
 *
 * <pre>{@code
 * TcpListener listener = TcpListener.bind(new InetSocketAddress("127.0.0.1", 0), 128);
 * Task.spawn(() -> {
 *     try (listener; TcpStream conn = listener.accept(); FileHandle file = FileHandle.open(path, FileOption.READ)) {
 *         file.transferTo(0, file.size(), conn); // fewer bytes only if the file shrank meanwhile
 *     }
 * });
 * }</pre>
 *
 * <p>Options ({@link dev.weft.fs.FileOption}): read, write, create, create-new, truncate, append,
 * and {@code DIRECT} ({@code O_DIRECT}, opt-in), whose alignment rules
 * ({@link dev.weft.fs.DirectAlignment}) are checked before a transfer is submitted. Failures are
 * typed and name the path and the errno: the JDK's {@link java.nio.file.NoSuchFileException},
 * {@link java.nio.file.FileAlreadyExistsException} and {@link java.nio.file.AccessDeniedException}
 * where they apply, else {@link dev.weft.fs.FileException}. A short read is returned as it is,
 * and the end of the file is -1.
 */
package dev.weft.fs;
