package dev.weft.fs;

/**
 * What a file opened with {@link FileOption#DIRECT} needs of every transfer: the buffer's address
 * a multiple of {@code memory}, the file offset and the length multiples of {@code offset}.
 *
 * @param memory alignment of the buffer's address, in bytes (a heap buffer is copied through
 *               aligned native memory, so only a direct buffer or a native segment is checked)
 * @param offset alignment of the file offset and of the length, in bytes
 * @param source where the numbers came from: on io_uring {@code statx}'s {@code STATX_DIOALIGN}
 *               (Linux 6.1), else the device's logical block size, else the file system's block
 *               size; on NIO the file store's block size, which the JDK's direct I/O requires
 */
public record DirectAlignment(int memory, int offset, String source) {
}
