package org.torch2nnef.check.reference;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** Test helper: makes the JVM free the memory of unreachable direct buffers now. */
final class DirectMemory {
    private DirectMemory() {}

    /**
     * Collects garbage until the JVM's count of direct buffers stops falling, so that the cleaners
     * of unreachable direct buffers have freed their memory.
     */
    static void collect() {
        BufferPoolMXBean direct =
                ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(p -> p.getName().equals("direct"))
                        .findFirst()
                        .orElseThrow();
        long before = Long.MAX_VALUE;
        for (int i = 0; i < 20 && direct.getCount() < before; i++) {
            before = direct.getCount();
            System.gc();
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
