package dev.weft.uring;

/**
 * io_uring's kernel ABI as weft uses it: opcodes, flags and structure offsets, with the values of
 * {@code include/uapi/linux/io_uring.h}. Offsets are in bytes from the start of the structure.
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

    /** Feature names by bit, for {@link Probe#featureNames()}. */
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
    public static final int OP_CLOSE = 19;
    public static final int OP_READ = 22;
    public static final int OP_WRITE = 23;
    public static final int OP_SEND = 26;
    public static final int OP_RECV = 27;
    public static final int OP_SHUTDOWN = 34;
    public static final int OP_MSG_RING = 40;
    public static final int OP_SOCKET = 45;
    public static final int OP_SEND_ZC = 47;
    public static final int OP_READ_MULTISHOT = 49;

    /** Opcode names by number, for {@link Probe#opcodeNames()}. */
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

    // ---- sqe->cancel_flags
    public static final int ASYNC_CANCEL_ALL = 1;
    public static final int ASYNC_CANCEL_FD = 1 << 1;

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

    // ---- struct io_uring_params (120 bytes)
    public static final int PARAMS_SIZE = 120;
    public static final int PARAMS_SQ_ENTRIES = 0;
    public static final int PARAMS_CQ_ENTRIES = 4;
    public static final int PARAMS_FLAGS = 8;
    public static final int PARAMS_FEATURES = 20;
    public static final int PARAMS_SQ_OFF = 40;
    public static final int PARAMS_CQ_OFF = 80;
    // io_sqring_offsets, from PARAMS_SQ_OFF
    public static final int SQ_OFF_HEAD = 0;
    public static final int SQ_OFF_TAIL = 4;
    public static final int SQ_OFF_RING_MASK = 8;
    public static final int SQ_OFF_RING_ENTRIES = 12;
    public static final int SQ_OFF_FLAGS = 16;
    public static final int SQ_OFF_ARRAY = 24;
    // io_cqring_offsets, from PARAMS_CQ_OFF
    public static final int CQ_OFF_HEAD = 0;
    public static final int CQ_OFF_TAIL = 4;
    public static final int CQ_OFF_RING_MASK = 8;
    public static final int CQ_OFF_RING_ENTRIES = 12;
    public static final int CQ_OFF_OVERFLOW = 16;
    public static final int CQ_OFF_CQES = 20;

    // ---- struct io_uring_sqe (64 bytes)
    public static final int SQE_SIZE = 64;
    public static final int SQE_OPCODE = 0;    // u8
    public static final int SQE_FLAGS = 1;     // u8
    public static final int SQE_IOPRIO = 2;    // u16
    public static final int SQE_FD = 4;        // s32
    public static final int SQE_OFF = 8;       // u64 off / addr2
    public static final int SQE_ADDR = 16;     // u64 addr
    public static final int SQE_LEN = 24;      // u32
    public static final int SQE_OP_FLAGS = 28; // u32 rw_flags, msg_flags, accept_flags, cancel_flags, ...
    public static final int SQE_USER_DATA = 32; // u64
    public static final int SQE_BUF_INDEX = 40; // u16 buf_index / buf_group
    public static final int SQE_FILE_INDEX = 44; // u32 splice_fd_in / file_index
    public static final int SQE_ADDR3 = 48;    // u64

    // ---- struct io_uring_cqe (16 bytes)
    public static final int CQE_SIZE = 16;
    public static final int CQE_USER_DATA = 0;
    public static final int CQE_RES = 8;
    public static final int CQE_FLAGS = 12;

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
