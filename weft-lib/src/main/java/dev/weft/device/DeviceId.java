package dev.weft.device;

/**
 * Names a device: its type (what kind of device, numbered by the application: 0 for GPUs, say)
 * and its index among the devices of that type. Ordered by type, then index.
 *
 * @param type  the device type, {@code >= 0}
 * @param index the index among devices of that type, {@code >= 0}
 */
public record DeviceId(int type, int index) implements Comparable<DeviceId> {

    /** @throws IllegalArgumentException naming the value when type or index is negative */
    public DeviceId {
        if (type < 0) {
            throw new IllegalArgumentException("device type must be >= 0, was " + type);
        }
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, was " + index);
        }
    }

    @Override
    public int compareTo(DeviceId other) {
        int byType = Integer.compare(type, other.type);
        return byType != 0 ? byType : Integer.compare(index, other.index);
    }

    @Override
    public String toString() {
        return "device " + type + ":" + index;
    }
}
