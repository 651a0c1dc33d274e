package dev.weft.bench.device.runner;

import dev.weft.device.DeviceId;

import java.util.List;

/** Opens a runner of each implementation by its stable name. */
public final class ServiceRunners {

    /** Every implementation, weft first, then the peers in the order the table lists them. */
    public static final List<String> IMPLS = List.of(ServiceRunner.WEFT, "abq", "disruptor", "jctools", "agrona");

    private ServiceRunners() {
    }

    /**
     * Starts a runner of {@code impl}.
     *
     * @param weftDevice the device weft's runner uses: a fresh one per runner (a shut-down device
     *                   can never be used again); ignored by peers
     * @throws IllegalArgumentException naming the impl and the known ones when it is unknown
     */
    public static ServiceRunner open(String impl, DeviceId weftDevice) {
        return switch (impl) {
            case ServiceRunner.WEFT -> new WeftRunner(weftDevice);
            case "abq" -> new PeerRunner(impl, new AbqQueue(PeerRunner.CAPACITY));
            case "disruptor" -> new PeerRunner(impl, new DisruptorQueue(PeerRunner.CAPACITY));
            case "jctools" -> new PeerRunner(impl, new JctoolsQueue(PeerRunner.CAPACITY));
            case "agrona" -> new PeerRunner(impl, new AgronaQueue(PeerRunner.CAPACITY));
            default -> throw new IllegalArgumentException("unknown device runner '" + impl
                    + "'; known: " + String.join(", ", IMPLS));
        };
    }
}
