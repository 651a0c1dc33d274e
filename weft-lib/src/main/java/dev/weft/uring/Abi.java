package dev.weft.uring;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * io_uring's kernel ABI as weft uses it: opcodes and flags with the values of
 * {@code include/uapi/linux/io_uring.h}, and the structures as {@link MemoryLayout}s
 * ({@link #SQE}, {@link #CQE}, {@link #PARAMS}) from which the field offsets are read.
 */
public final class Abi {

    private Abi() {
    }

    // ---- io_uring_setup flags
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_R_DISABLED = 1 << 6;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;
    public static final int SETUP_NO_SQARRAY = 1 << 16;

    // ---- io_uring_params features
    public static final int FEAT_SINGLE_MMAP = 1;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_EXT_ARG = 1 << 8;
    public static final int FEAT_NATIVE_WORKERS = 1 << 9;
    public static final int FEAT_RSRC_TAGS = 1 << 10;
    public static final int FEAT_CQE_SKIP = 1 << 11;
    public static final int FEAT_LINKED_FILE = 1 << 12;
    public static final int FEAT_REG_REG_RING = 1 << 13;
    public static final int FEAT_RECVSEND_BUNDLE = 1 << 14;
    public static final int FEAT_MIN_TIMEOUT = 1 << 15;

    /** Feature names by bit, for {@link KernelFeatures#featureNames()}. */
    static final String[] FEATURE_NAMES = {
        "SINGLE_MMAP", "NODROP", "SUBMIT_STABLE", "RW_CUR_POS", "CUR_PERSONALITY", "FAST_POLL",
        "POLL_32BITS", "SQPOLL_NONFIXED", "EXT_ARG", "NATIVE_WORKERS", "RSRC_TAGS", "CQE_SKIP",
        "LINKED_FILE", "REG_REG_RING", "RECVSEND_BUNDLE", "MIN_TIMEOUT", "RW_ATTR", "NO_IOWAIT",
    };

    // ---- io_uring_enter flags
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_EXT_ARG = 1 << 3;

    // ---- opcodes (enum io_uring_op)
    public static final int OP_NOP = 0;
    public static final int OP_READV = 1;
    public static final int OP_WRITEV = 2;
    public static final int OP_FSYNC = 3;
    public static final int OP_READ_FIXED = 4;
    public static final int OP_WRITE_FIXED = 5;
    public static final int OP_POLL_ADD = 6;
    public static final int OP_POLL_REMOVE = 7;
    public static final int OP_SENDMSG = 9;
    public static final int OP_RECVMSG = 10;
    public static final int OP_TIMEOUT = 11;
    public static final int OP_TIMEOUT_REMOVE = 12;
    public static final int OP_ACCEPT = 13;
    public static final int OP_ASYNC_CANCEL = 14;
    public static final int OP_LINK_TIMEOUT = 15;
    public static final int OP_CONNECT = 16;
    public static final int OP_OPENAT = 18;
    public static final int OP_CLOSE = 19;
    public static final int OP_STATX = 21;
    public static final int OP_READ = 22;
    public static final int OP_WRITE = 23;
    public static final int OP_SEND = 26;
    public static final int OP_RECV = 27;
    public static final int OP_SPLICE = 30;
    public static final int OP_SHUTDOWN = 34;
    public static final int OP_MSG_RING = 40;
    public static final int OP_SOCKET = 45;
    public static final int OP_SEND_ZC = 47;
    public static final int OP_READ_MULTISHOT = 49;

    /** Opcode names by number, for {@link KernelFeatures#opcodeNames()}. */
    static final String[] OP_NAMES = {
        "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
        "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT",
        "ASYNC_CANCEL", "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE",
        "STATX", "READ", "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL",
        "SPLICE", "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT",
        "MKDIRAT", "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR",
        "GETXATTR", "SOCKET", "URING_CMD", "SEND_ZC", "SENDMSG_ZC", "READ_MULTISHOT", "WAITID",
        "FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN",
    };

    // ---- sqe->flags
    public static final int SQE_FIXED_FILE = 1;
    public static final int SQE_IO_LINK = 1 << 2;
    public static final int SQE_ASYNC = 1 << 4;
    public static final int SQE_BUFFER_SELECT = 1 << 5;
    public static final int SQE_CQE_SKIP_SUCCESS = 1 << 6;

    // ---- sqe->ioprio for accept, send and recv
    public static final int ACCEPT_MULTISHOT = 1;
    public static final int RECVSEND_POLL_FIRST = 1;
    public static final int RECV_MULTISHOT = 1 << 1;
    public static final int RECVSEND_FIXED_BUF = 1 << 2;

    // ---- sq ring flags
    public static final int SQ_NEED_WAKEUP = 1;
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int SQ_TASKRUN = 1 << 2;

    // ---- sqe->fsync_flags
    public static final int FSYNC_DATASYNC = 1;

    // ---- sqe->splice_flags
    public static final int SPLICE_F_MOVE = 1;
    public static final int SPLICE_F_FD_IN_FIXED = 1 << 31;

    // ---- sqe->cancel_flags
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;
    public static final int ASYNC_CANCEL_ANY = 1 << 2;

    // ---- cqe->flags
    public static final int CQE_F_BUFFER = 1;
    public static final int CQE_F_MORE = 1 << 1;
    public static final int CQE_F_SOCK_NONEMPTY = 1 << 2;
    public static final int CQE_BUFFER_SHIFT = 16;

    // ---- mmap offsets
    public static final long OFF_SQ_RING = 0L;
    public static final long OFF_CQ_RING = 0x8000000L;
    public static final long OFF_SQES = 0x10000000L;

    // ---- io_uring_register opcodes
    public static final int REGISTER_BUFFERS = 0;
    public static final int UNREGISTER_BUFFERS = 1;
    public static final int REGISTER_FILES = 2;
    public static final int UNREGISTER_FILES = 3;
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    public static final int REGISTER_FILES2 = 13;
    public static final int REGISTER_FILES_UPDATE2 = 14;
    public static final int REGISTER_BUFFERS2 = 15;
    public static final int REGISTER_BUFFERS_UPDATE = 16;
    public static final int REGISTER_PBUF_RING = 22;
    public static final int UNREGISTER_PBUF_RING = 23;
    public static final int RSRC_REGISTER_SPARSE = 1;

    // ---- The structures, as memory layouts; the offsets below are read off them.

    private static final ValueLayout U8 = ValueLayout.JAVA_BYTE;
    private static final ValueLayout U16 = ValueLayout.JAVA_SHORT;
    private static final ValueLayout U32 = ValueLayout.JAVA_INT;
    private static final ValueLayout U64 = ValueLayout.JAVA_LONG;

    /** {@code struct io_sqring_offsets} (40 bytes). */
    public static final StructLayout SQRING_OFFSETS = MemoryLayout.structLayout(
            U32.withName("head"), U32.withName("tail"), U32.withName("ring_mask"),
            U32.withName("ring_entries"), U32.withName("flags"), U32.withName("dropped"),
            U32.withName("array"), U32.withName("resv1"), U64.withName("user_addr"));

    /** {@code struct io_cqring_offsets} (40 bytes). */
    public static final StructLayout CQRING_OFFSETS = MemoryLayout.structLayout(
            U32.withName("head"), U32.withName("tail"), U32.withName("ring_mask"),
            U32.withName("ring_entries"), U32.withName("overflow"), U32.withName("cqes"),
            U32.withName("flags"), U32.withName("resv1"), U64.withName("user_addr"));

    /** {@code struct io_uring_params} (120 bytes). */
    public static final StructLayout PARAMS = MemoryLayout.structLayout(
            U32.withName("sq_entries"), U32.withName("cq_entries"), U32.withName("flags"),
            U32.withName("sq_thread_cpu"), U32.withName("sq_thread_idle"), U32.withName("features"),
            U32.withName("wq_fd"), MemoryLayout.sequenceLayout(3, U32).withName("resv"),
            SQRING_OFFSETS.withName("sq_off"), CQRING_OFFSETS.withName("cq_off"));

    /**
     * {@code struct io_uring_sqe} (64 bytes). Unions are named by the member weft uses:
     * {@code off} (also {@code addr2}), {@code op_flags} ({@code rw_flags}, {@code msg_flags},
     * {@code accept_flags}, {@code cancel_flags}, ...), {@code buf_index} (also
     * {@code buf_group}), {@code file_index} (also {@code splice_fd_in}).
     */
    public static final StructLayout SQE = MemoryLayout.structLayout(
            U8.withName("opcode"), U8.withName("flags"), U16.withName("ioprio"), U32.withName("fd"),
            U64.withName("off"), U64.withName("addr"), U32.withName("len"), U32.withName("op_flags"),
            U64.withName("user_data"), U16.withName("buf_index"), U16.withName("personality"),
            U32.withName("file_index"), U64.withName("addr3"), U64.withName("pad2"));

    /** {@code struct io_uring_cqe} (16 bytes, without CQE32). */
    public static final StructLayout CQE = MemoryLayout.structLayout(
            U64.withName("user_data"), U32.withName("res"), U32.withName("flags"));

    private static int offset(StructLayout layout, String... path) {
        MemoryLayout.PathElement[] elements = new MemoryLayout.PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = MemoryLayout.PathElement.groupElement(path[i]);
        }
        return (int) layout.byteOffset(elements);
    }

    public static final int PARAMS_SIZE = (int) PARAMS.byteSize();
    public static final int PARAMS_SQ_ENTRIES = offset(PARAMS, "sq_entries");
    public static final int PARAMS_CQ_ENTRIES = offset(PARAMS, "cq_entries");
    public static final int PARAMS_FLAGS = offset(PARAMS, "flags");
    public static final int PARAMS_FEATURES = offset(PARAMS, "features");
    public static final int PARAMS_SQ_OFF = offset(PARAMS, "sq_off");
    public static final int PARAMS_CQ_OFF = offset(PARAMS, "cq_off");
    // io_sqring_offsets, from PARAMS_SQ_OFF
    public static final int SQ_OFF_HEAD = offset(SQRING_OFFSETS, "head");
    public static final int SQ_OFF_TAIL = offset(SQRING_OFFSETS, "tail");
    public static final int SQ_OFF_RING_MASK = offset(SQRING_OFFSETS, "ring_mask");
    public static final int SQ_OFF_RING_ENTRIES = offset(SQRING_OFFSETS, "ring_entries");
    public static final int SQ_OFF_FLAGS = offset(SQRING_OFFSETS, "flags");
    public static final int SQ_OFF_ARRAY = offset(SQRING_OFFSETS, "array");
    // io_cqring_offsets, from PARAMS_CQ_OFF
    public static final int CQ_OFF_HEAD = offset(CQRING_OFFSETS, "head");
    public static final int CQ_OFF_TAIL = offset(CQRING_OFFSETS, "tail");
    public static final int CQ_OFF_RING_MASK = offset(CQRING_OFFSETS, "ring_mask");
    public static final int CQ_OFF_RING_ENTRIES = offset(CQRING_OFFSETS, "ring_entries");
    public static final int CQ_OFF_OVERFLOW = offset(CQRING_OFFSETS, "overflow");
    public static final int CQ_OFF_CQES = offset(CQRING_OFFSETS, "cqes");

    public static final int SQE_SIZE = (int) SQE.byteSize();
    public static final int SQE_OPCODE = offset(SQE, "opcode");
    public static final int SQE_FLAGS = offset(SQE, "flags");
    public static final int SQE_IOPRIO = offset(SQE, "ioprio");
    public static final int SQE_FD = offset(SQE, "fd");
    public static final int SQE_OFF = offset(SQE, "off");
    public static final int SQE_ADDR = offset(SQE, "addr");
    public static final int SQE_LEN = offset(SQE, "len");
    public static final int SQE_OP_FLAGS = offset(SQE, "op_flags");
    public static final int SQE_USER_DATA = offset(SQE, "user_data");
    public static final int SQE_BUF_INDEX = offset(SQE, "buf_index");
    public static final int SQE_FILE_INDEX = offset(SQE, "file_index");
    public static final int SQE_ADDR3 = offset(SQE, "addr3");

    public static final int CQE_SIZE = (int) CQE.byteSize();
    public static final int CQE_USER_DATA = offset(CQE, "user_data");
    public static final int CQE_RES = offset(CQE, "res");
    public static final int CQE_FLAGS = offset(CQE, "flags");

    // ---- struct io_uring_probe: 16-byte header, then 8 bytes per op
    public static final int PROBE_HEADER = 16;
    public static final int PROBE_OP_SIZE = 8;
    public static final int PROBE_OP_FLAGS = 2;
    public static final int PROBE_OP_SUPPORTED = 1;

    // ---- struct io_uring_buf (16 bytes) and io_uring_buf_reg (40 bytes)
    public static final int BUF_SIZE = 16;
    public static final int BUF_ADDR = 0;
    public static final int BUF_LEN = 8;
    public static final int BUF_BID = 12;
    public static final int BUF_RING_TAIL = 14; // the tail overlays bufs[0].resv
    public static final int BUF_REG_SIZE = 40;

    // ---- struct io_uring_rsrc_register (32 bytes) and io_uring_rsrc_update2 (32 bytes)
    public static final int RSRC_REGISTER_SIZE = 32;
    public static final int RSRC_UPDATE2_SIZE = 32;

    // ---- struct io_uring_getevents_arg (24 bytes), struct __kernel_timespec (16 bytes)
    public static final int GETEVENTS_ARG_SIZE = 24;
    public static final int GETEVENTS_ARG_TS = 16;
}
