package dev.weft.uring;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What this kernel's io_uring supports: the opcodes reported by {@code IORING_REGISTER_PROBE},
 * the feature bits {@code io_uring_setup} returned, and the setup flags weft's ring was created
 * with (after falling back from those the kernel refused).
 *
 * @param opcodes    the supported opcodes, by number
 * @param features   {@code io_uring_params.features}
 * @param setupFlags the flags the ring was created with
 */
public record Probe(BitSet opcodes, int features, int setupFlags) {

    public Probe {
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
}
