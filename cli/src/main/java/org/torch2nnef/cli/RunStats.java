package org.torch2nnef.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
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
 *
 * <p>The management beans take ~300 classes and a tenth of a tiny export's main-thread time to set
 * up, so they are set up on a thread of their own: the measured run does not wait for its meter. A
 * collection that ends before the listeners are registered is read from the collector's last GC
 * info instead of a notification.
 */
final class RunStats implements NotificationListener {
    private final Set<String> heapPools = new HashSet<>();
    private final AtomicLong peakHeap = new AtomicLong();
    private final AtomicLong peakLive = new AtomicLong();
    private final Thread watcher = new Thread(this::watch, "torch2nnef-stats");
    private long collections;
    private long startMillis;

    private RunStats() {}

    /** Starts watching the collectors of this JVM. */
    static RunStats start() {
        RunStats stats = new RunStats();
        stats.watcher.setDaemon(true);
        stats.watcher.start();
        return stats;
    }

    private void watch() {
        startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            // collections before the listener: counted, and the last one's figures recorded
            long before = Math.max(0, gc.getCollectionCount());
            if (before > 0
                    && gc instanceof com.sun.management.GarbageCollectorMXBean sun
                    && sun.getLastGcInfo() != null) {
                recordCollection(sun.getLastGcInfo());
                before--;
            }
            synchronized (this) {
                collections += before;
            }
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(this, null, null);
            }
        }
    }

    @Override
    public void handleNotification(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                notification.getType())) {
            return;
        }
        recordCollection(
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
                        .getGcInfo());
    }

    private void recordCollection(GcInfo info) {
        synchronized (this) {
            collections++;
        }
        record(heapUsed(info.getMemoryUsageBeforeGc()));
        peakLive.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
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
        try {
            watcher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        record(used);
        long wallMs = System.currentTimeMillis() - startMillis;
        long maxHeap = Runtime.getRuntime().maxMemory();
        long gcs;
        synchronized (this) {
            gcs = collections;
        }
        if (gcs == 0) {
            peakLive.set(used); // nothing collected: all the heap in use may still be held
        }
        // concatenated, not printf: a cold Formatter with %.1f took 7% of a tiny export's main
        // thread
        err.println(
                "torch2nnef stats: wall "
                        + wallMs
                        + " ms, peak heap "
                        + megabytes(peakHeap.get())
                        + " MB, peak after GC "
                        + megabytes(peakLive.get())
                        + " MB, max heap "
                        + megabytes(maxHeap)
                        + " MB, "
                        + gcs
                        + " GCs");
        err.flush();
    }

    /** {@code bytes} in MB (10^6) with one decimal, rounded half up as {@code %.1f} does. */
    static String megabytes(long bytes) {
        long tenths = (bytes + 50_000) / 100_000;
        return tenths / 10 + "." + tenths % 10;
    }
}
