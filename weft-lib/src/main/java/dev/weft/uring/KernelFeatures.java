package dev.weft.uring;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * What this kernel's io_uring can do, probed once ({@link #probe()}) before any worker ring is
 * opened, so that every ring and every driver uses the same answer: what the kernel has is used,
 * what it lacks is done another way (see each component).
 *
 * @param release             the kernel release ({@code os.version}), for reports
 * @param opcodes             the supported opcodes, by number ({@code IORING_REGISTER_PROBE}, Linux 5.6)
 * @param features            {@code io_uring_params.features} of a plain ring
 * @param setupFlags          the {@code io_uring_setup} flags the kernel accepts, each tried on a
 *                            small ring with what it requires ({@code DEFER_TASKRUN} with
 *                            {@code SINGLE_ISSUER}, {@code TASKRUN_FLAG} with {@code COOP_TASKRUN})
 * @param sparseBuffers       a sparse fixed-buffer table ({@code REGISTER_BUFFERS2} with
 *                            {@code RSRC_REGISTER_SPARSE}, Linux 5.19), tried on the probe ring;
 *                            registered regions need it
 * @param providedBufferRings provided-buffer rings ({@code REGISTER_PBUF_RING}, Linux 5.19), tried
 *                            on the probe ring; without them a receive into heap memory uses a
 *                            staging buffer
 * @param multishotAccept     {@code IORING_ACCEPT_MULTISHOT} (Linux 5.19); inferred from
 *                            {@code IORING_OP_SOCKET}, which came in the same release; without it
 *                            each accept submits its own SQE
 * @param cancelAll           {@code IORING_ASYNC_CANCEL_ALL} (Linux 5.19), inferred the same way
 */
public record KernelFeatures(String release, BitSet opcodes, int features, int setupFlags, boolean sparseBuffers,
                             boolean providedBufferRings, boolean multishotAccept, boolean cancelAll) {

    /** Feature bits weft cannot run without (Linux 5.11). */
    public static final int REQUIRED_FEATURES = Abi.FEAT_SINGLE_MMAP | Abi.FEAT_NODROP | Abi.FEAT_EXT_ARG;
    /** Opcodes the io_uring driver submits (all in Linux 5.6). */
    public static final int[] REQUIRED_OPCODES = {
        Abi.OP_READ, Abi.OP_SEND, Abi.OP_RECV, Abi.OP_ACCEPT, Abi.OP_CONNECT, Abi.OP_ASYNC_CANCEL,
        Abi.OP_LINK_TIMEOUT,
    };

    /** Setup flags every weft ring is created with (Linux 5.6). */
    static final int BASE_SETUP = Abi.SETUP_CQSIZE | Abi.SETUP_CLAMP;

    /** The flag sets {@link #probe()} tries, each beside {@link #BASE_SETUP}. */
    private static final int[] SETUP_CANDIDATES = {
        Abi.SETUP_R_DISABLED,
        Abi.SETUP_SUBMIT_ALL,
        Abi.SETUP_COOP_TASKRUN,
        Abi.SETUP_COOP_TASKRUN | Abi.SETUP_TASKRUN_FLAG,
        Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_R_DISABLED,
        Abi.SETUP_SINGLE_ISSUER | Abi.SETUP_DEFER_TASKRUN | Abi.SETUP_R_DISABLED,
        Abi.SETUP_NO_SQARRAY,
    };

    public KernelFeatures {
        opcodes = (BitSet) opcodes.clone();
    }

    /** Whether the kernel supports an opcode ({@link Abi#OP_RECV}). */
    public boolean supports(int opcode) {
        return opcodes.get(opcode);
    }

    /** Whether a feature bit ({@link Abi#FEAT_EXT_ARG}) is set. */
    public boolean hasFeature(int feature) {
        return (features & feature) == feature;
    }

    /** Whether {@code io_uring_setup} accepts {@code flags} ({@link Abi#SETUP_SINGLE_ISSUER}). */
    public boolean accepts(int flags) {
        return (setupFlags & flags) == flags;
    }

    /**
     * Why weft's io_uring driver cannot run on this kernel (a missing feature bit or opcode,
     * named), or null when it can.
     */
    public String unusableReason() {
        if (!hasFeature(REQUIRED_FEATURES)) {
            return "io_uring on kernel " + release + " lacks features weft needs (SINGLE_MMAP, NODROP, EXT_ARG: "
                    + "Linux 5.11 or later); features were 0x" + Integer.toHexString(features);
        }
        List<String> missing = new ArrayList<>();
        for (int op : REQUIRED_OPCODES) {
            if (!supports(op)) {
                missing.add(Abi.OP_NAMES[op]);
            }
        }
        return missing.isEmpty() ? null
                : "io_uring on kernel " + release + " lacks the opcodes " + String.join(", ", missing) + " weft submits";
    }

    /**
     * What weft uses of this kernel's optional io_uring features, and what it does instead of
     * those the kernel lacks, one line each ({@code "multishot accept: no (Linux 5.19): one accept
     * SQE per call"}), for reports.
     */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(line("single issuer", accepts(Abi.SETUP_SINGLE_ISSUER), "6.0", "any thread may submit"));
        lines.add(line("deferred task work", accepts(Abi.SETUP_DEFER_TASKRUN), "6.1",
                accepts(Abi.SETUP_COOP_TASKRUN) ? "cooperative task work" : "task work interrupts the worker"));
        lines.add(line("submit all", accepts(Abi.SETUP_SUBMIT_ALL), "5.18", "a refused SQE stops the batch"));
        lines.add(line("multishot accept", multishotAccept, "5.19", "one accept SQE per call"));
        lines.add(line("provided-buffer rings", providedBufferRings, "5.19",
                "receives into heap buffers go through staging buffers"));
        lines.add(line("sparse fixed-buffer table", sparseBuffers, "5.19", "registered regions are unsupported"));
        lines.add(line("cancel all", cancelAll, "5.19", "operations are cancelled one by one"));
        return lines;
    }

    private static String line(String what, boolean has, String since, String instead) {
        return has ? what + ": yes" : what + ": no (Linux " + since + "): " + instead;
    }

    /** The supported opcodes by name ({@code RECV}), for reports. */
    public List<String> opcodeNames() {
        List<String> names = new ArrayList<>();
        for (int op = opcodes.nextSetBit(0); op >= 0; op = opcodes.nextSetBit(op + 1)) {
            names.add(op < Abi.OP_NAMES.length ? Abi.OP_NAMES[op] : "OP_" + op);
        }
        return names;
    }

    /** The feature bits by name ({@code EXT_ARG}), for reports. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < 32; bit++) {
            if ((features & (1 << bit)) != 0) {
                names.add(bit < Abi.FEATURE_NAMES.length ? Abi.FEATURE_NAMES[bit] : "FEAT_" + bit);
            }
        }
        return names;
    }

    /**
     * Probes this kernel: tries each setup flag set on a two-entry ring, then on one plain ring
     * asks for the opcodes and tries a one-slot sparse buffer table and a one-entry provided-buffer
     * ring. Every ring it opens is closed before it returns.
     *
     * @throws ErrnoException when the kernel refuses even a plain ring, with the errno and a hint
     */
    public static KernelFeatures probe() throws ErrnoException {
        String release = System.getProperty("os.version", "?");
        int accepted = BASE_SETUP;
        for (int flags : SETUP_CANDIDATES) {
            if (Ring.setupAccepted(2, BASE_SETUP | flags)) {
                accepted |= flags;
            }
        }
        KernelFeatures opening = new KernelFeatures(release, new BitSet(), 0, BASE_SETUP, false, false, false, false);
        try (Ring ring = Ring.open(2, opening, false)) {
            BitSet ops = opcodes(ring);
            boolean sparse = trySparseBuffers(ring);
            boolean pbuf = tryBufferRing(ring);
            boolean fiveNineteen = ops.get(Abi.OP_SOCKET);
            return new KernelFeatures(release, ops, ring.features(), accepted, sparse, pbuf, fiveNineteen, fiveNineteen);
        }
    }

    private static BitSet opcodes(Ring ring) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            int ops = 256;
            MemorySegment p = a.allocate(Abi.PROBE_HEADER + (long) ops * Abi.PROBE_OP_SIZE, 8);
            int r = ring.register(Abi.REGISTER_PROBE, p.address(), ops);
            if (r < 0) {
                throw new ErrnoException("io_uring_register(PROBE)", r);
            }
            int len = Byte.toUnsignedInt(p.get(JAVA_BYTE, 1));
            BitSet supported = new BitSet();
            for (int i = 0; i < len; i++) {
                long op = Abi.PROBE_HEADER + (long) i * Abi.PROBE_OP_SIZE;
                short flags = p.get(JAVA_SHORT, op + Abi.PROBE_OP_FLAGS);
                if ((flags & Abi.PROBE_OP_SUPPORTED) != 0) {
                    supported.set(Byte.toUnsignedInt(p.get(JAVA_BYTE, op)));
                }
            }
            return supported;
        }
    }

    private static boolean trySparseBuffers(Ring ring) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment reg = a.allocate(Abi.RSRC_REGISTER_SIZE, 8);
            reg.set(JAVA_INT, 0, 1);
            reg.set(JAVA_INT, 4, Abi.RSRC_REGISTER_SPARSE);
            if (ring.register(Abi.REGISTER_BUFFERS2, reg.address(), Abi.RSRC_REGISTER_SIZE) < 0) {
                return false;
            }
            ring.register(Abi.UNREGISTER_BUFFERS, 0, 0);
            return true;
        }
    }

    private static boolean tryBufferRing(Ring ring) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment entries = a.allocate(Abi.BUF_SIZE, 4096);
            MemorySegment reg = a.allocate(Abi.BUF_REG_SIZE, 8);
            reg.set(JAVA_LONG, 0, entries.address());
            reg.set(JAVA_INT, 8, 1);
            reg.set(JAVA_SHORT, 12, (short) 0);
            if (ring.register(Abi.REGISTER_PBUF_RING, reg.address(), 1) < 0) {
                return false;
            }
            ring.register(Abi.UNREGISTER_PBUF_RING, reg.address(), 1);
            return true;
        }
    }
}
