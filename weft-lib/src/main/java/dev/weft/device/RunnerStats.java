package dev.weft.device;

/**
 * A snapshot of one runner's counters, read without locks while it runs.
 *
 * @param device      the device
 * @param stage       the runner's stage
 * @param tasksRun    tasks run, queued or inline, failed ones included
 * @param tasksFailed fire-and-forget tasks that threw (sent to the failure handler)
 * @param callsFailed submitBlocking/exclusive tasks that threw (delivered to their caller)
 * @param batches     batches received from the channel
 * @param parks       times the runner parked for lack of work
 * @param running     whether the runner thread is alive
 */
public record RunnerStats(DeviceId device, Stage stage, long tasksRun, long tasksFailed,
                          long callsFailed, long batches, long parks, boolean running) {
}
