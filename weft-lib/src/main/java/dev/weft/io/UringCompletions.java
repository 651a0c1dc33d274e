package dev.weft.io;

import dev.weft.uring.Errno;
import dev.weft.uring.Ring;

/**
 * Where a CQE becomes a wake-up: the handler a worker's ring reaps into. A CQE for the wake-up's
 * eventfd read disarms it ({@link UringWakeup}); one for a link timeout or a cancel request
 * ({@link OperationTable#IGNORED_TOKEN}) is dropped; any other is looked up in the
 * {@link OperationTable} by its token, and the operation found takes it ({@link UringOp#complete}:
 * result, {@code done}, unpark). A stale token is counted there and ignored.
 *
 * <p>Owner thread only. A completion that throws stays with its operation: its task gets
 * {@code EFAULT}, the worker goes on.
 */
final class UringCompletions implements Ring.CompletionHandler {

    private final UringDriver driver;
    private final OperationTable table;
    private final UringWakeup wakeup;

    UringCompletions(UringDriver driver, OperationTable table, UringWakeup wakeup) {
        this.driver = driver;
        this.table = table;
        this.wakeup = wakeup;
    }

    @Override
    public void complete(long userData, int res, int flags) {
        if (userData == UringWakeup.TOKEN) {
            wakeup.disarmed();
            return;
        }
        if (userData == OperationTable.IGNORED_TOKEN) {
            return;
        }
        UringOp op = table.take(userData, flags);
        if (op == null) {
            return;
        }
        try {
            op.complete(driver, res, flags);
        } catch (RuntimeException | Error e) {
            // A failure stays with the operation: its task gets EFAULT, the worker goes on.
            op.fail(-Errno.EFAULT);
        }
    }
}
