package dev.weft.uring;

import java.util.BitSet;

/**
 * The io_uring feature sets of older kernels, for running weft on this machine as if it were one:
 * this kernel's probe cut down to what the older release has (kernel ABI facts: the release that
 * brought each opcode, feature bit and setup flag). A ring opened for such a set uses only its
 * setup flags, and refuses the registrations it lacks.
 */
public final class OldKernels {

    private OldKernels() {
    }

    /**
     * {@code real} as Linux {@code release} has it: {@code "5.10"}, {@code "5.11"} or
     * {@code "5.15"}.
     */
    public static KernelFeatures linux(String release, KernelFeatures real) {
        int lastOpcode;
        int lastFeatureBit;
        int setupFlags = KernelFeatures.BASE_SETUP | Abi.SETUP_R_DISABLED; // CQSIZE 5.5, CLAMP 5.6, R_DISABLED 5.10
        switch (release) {
            case "5.10" -> {
                lastOpcode = Abi.OP_SHUTDOWN - 1;        // TEE; SHUTDOWN, RENAMEAT, UNLINKAT came in 5.11
                lastFeatureBit = 7;                       // SQPOLL_NONFIXED; EXT_ARG came in 5.11
            }
            case "5.11" -> {
                lastOpcode = 36;                          // UNLINKAT
                lastFeatureBit = 8;                       // EXT_ARG
            }
            case "5.15" -> {
                lastOpcode = 39;                          // LINKAT; MSG_RING came in 5.18
                lastFeatureBit = 10;                      // RSRC_TAGS (5.13); CQE_SKIP came in 5.17
            }
            default -> throw new IllegalArgumentException("no feature set for Linux " + release
                    + "; use 5.10, 5.11 or 5.15");
        }
        BitSet ops = real.opcodes().get(0, lastOpcode + 1);
        int features = real.features() & ((1 << (lastFeatureBit + 1)) - 1);
        // Nothing of 5.19 (sparse buffer tables, provided-buffer rings, multishot accept, cancel
        // all), of 5.18 (SUBMIT_ALL), 5.19 (COOP_TASKRUN, TASKRUN_FLAG), 6.0 (SINGLE_ISSUER),
        // 6.1 (DEFER_TASKRUN) or 6.6 (NO_SQARRAY).
        return new KernelFeatures(release + " (simulated on " + real.release() + ")", ops, features,
                real.setupFlags() & setupFlags, false, false, false, false);
    }
}
