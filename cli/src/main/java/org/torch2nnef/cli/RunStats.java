package org.torch2nnef.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * What {@code torch2nnef --stats} prints on exit: wall time since the JVM started and the peak Java
 * heap in use. The peak is the largest heap occupancy seen just before a garbage collection
 * (reported by GC notifications) or at exit, which is exact for the heap as a whole, unlike the sum
 * of the per-pool peaks (those peaks happen at different times).
 */
final class RunStats implements NotificationListener {
    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private int collections;

    private RunStats() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
    }

    /** Starts watching the collectors of this JVM. */
    static RunStats start() {
        RunStats stats = new RunStats();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(stats, null, null);
            }
        }
        return stats;
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        synchronized (this) {
            collections++;
        }
        record(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()));
        peakLive.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageAfterGc()), Math::max);
    }

    private long heapUsed(Map<String, MemoryUsage> usageByPool) {
        long used = 0;
        for (Map.Entry<String, MemoryUsage> e : usageByPool.entrySet()) {
            if (heapPools.contains(e.getKey())) {
                used += e.getValue().getUsed();
            }
        }
        return used;
    }

    private void record(long used) {
        peakHeap.accumulateAndGet(used, Math::max);
    }

    /**
     * Prints one line: wall time, peak heap, the largest heap left after a collection (what the
     * program really holds, as opposed to what the collector let accumulate), maximum heap and
     * number of collections.
     */
    void print(PrintWriter err) {
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        record(used);
        long wallMs =
                System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        long maxHeap = Runtime.getRuntime().maxMemory();
        int gcs;
        synchronized (this) {
            gcs = collections;
        }
        if (gcs == 0) {
            peakLive.set(used); // nothing collected: all the heap in use may still be held
        }
        err.printf(
                Locale.ROOT,
                "torch2nnef stats: wall %d ms, peak heap %.1f MB, peak after GC %.1f MB, max heap %.1f MB, %d GCs%n",
                wallMs,
                peakHeap.get() / 1e6,
                peakLive.get() / 1e6,
                maxHeap / 1e6,
                gcs);
        err.flush();
    }
}
