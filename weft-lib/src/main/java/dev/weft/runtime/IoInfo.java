package dev.weft.runtime;

import java.util.List;
import java.util.Optional;

/**
 * The I/O backend a runtime chose, and what the kernel's io_uring supports.
 *
 * @param backend        {@code io_uring}, {@code nio} or {@code none}
 * @param fallbackReason why io_uring was not used when the mode was AUTO, if it was not
 * @param kernel         the kernel release whose io_uring was probed; empty without io_uring
 * @param opcodes        io_uring opcodes the kernel supports ({@code RECV}, {@code SEND}, ...),
 *                       from {@code IORING_REGISTER_PROBE}; empty without io_uring
 * @param features       io_uring feature bits ({@code EXT_ARG}, ...); empty without io_uring
 * @param uses           what weft uses of the kernel's optional io_uring features and what it
 *                       does instead of those the kernel lacks, one line each
 *                       ({@code "multishot accept: no (Linux 5.19): one accept SQE per call"});
 *                       empty without io_uring
 */
public record IoInfo(String backend, Optional<String> fallbackReason, String kernel, List<String> opcodes,
                     List<String> features, List<String> uses) {

    public IoInfo {
        opcodes = List.copyOf(opcodes);
        features = List.copyOf(features);
        uses = List.copyOf(uses);
    }
}
