package org.torch2nnef.torchscript;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Copies a tensor view out of its storage in C order, as little-endian bytes. Dimensions are first
 * collapsed (size-1 dimensions dropped, adjacent dimensions merged when their strides chain), so a
 * contiguous view is one run and a transposed or strided view becomes the fewest runs. Storage
 * bytes go through bounded caches: a sliding window for contiguous views and for gathers whose span
 * fits {@link #GATHER_WINDOW} (the span is then read once), and a page cache of the same size for
 * larger gathers, so that walking a big transposed matrix column by column keeps one page per row
 * resident instead of re-reading the span per column.
 */
final class StridedCopy {
    private static final int CONTIGUOUS_WINDOW = 1 << 20;
    private static final long GATHER_WINDOW = 64L << 20;
    private static final int OUT_BUFFER = 1 << 16;

    private static final int PAGE = 4096;

    private final TorchTensor tensor;
    private final long gatherWindow;
    private final int pageSize;

    StridedCopy(TorchTensor tensor) {
        this(tensor, GATHER_WINDOW, PAGE);
    }

    /** For tests: small limits push small tensors through the page cache. */
    StridedCopy(TorchTensor tensor, long gatherWindow, int pageSize) {
        if (pageSize % 16 != 0 || gatherWindow < pageSize) {
            throw new IllegalArgumentException(
                    "page size must be a multiple of 16 and fit the gather window");
        }
        this.tensor = tensor;
        this.gatherWindow = gatherWindow;
        this.pageSize = pageSize;
    }

    void writeTo(OutputStream out) throws IOException {
        long total = tensor.byteSize();
        if (total == 0) {
            return;
        }
        int es = tensor.dtype().elementSize();
        List<long[]> dims = collapse(tensor.shape(), tensor.strides());
        long runElements = 1;
        if (!dims.isEmpty() && dims.get(dims.size() - 1)[1] == 1) {
            runElements = dims.remove(dims.size() - 1)[0];
        }
        // the view was checked against its storage when read; exact arithmetic keeps a view built
        // any other way from wrapping into reads of the wrong elements
        long spanEnd = Math.addExact(tensor.storageOffset(), runElements);
        for (long[] d : dims) {
            spanEnd = Math.addExact(spanEnd, Math.multiplyExact(d[0] - 1, d[1]));
        }
        if (spanEnd > tensor.storage().elementCount()) {
            throw new TorchScriptFormatException(
                    "tensor view " + tensor + " reaches past its storage " + tensor.storage());
        }
        long spanStartByte = Math.multiplyExact(tensor.storageOffset(), es);
        long spanBytes = Math.multiplyExact(spanEnd, es) - spanStartByte;
        ByteSource window =
                dims.isEmpty() || spanBytes <= gatherWindow
                        ? new Window(
                                tensor.storage(),
                                spanStartByte,
                                spanEnd * es,
                                (int)
                                        Math.min(
                                                spanBytes,
                                                dims.isEmpty() ? CONTIGUOUS_WINDOW : gatherWindow))
                        : new PageCache(
                                tensor.storage(),
                                spanEnd * es,
                                pageSize,
                                (int) (gatherWindow / pageSize));
        boolean swap = tensor.storage().isBigEndian() && es > 1;

        byte[] buf = new byte[(int) Math.min(OUT_BUFFER, total)];
        int filled = 0;
        long[] index = new long[dims.size()];
        long runBytes = runElements * es;
        while (true) {
            long element = tensor.storageOffset();
            for (int i = 0; i < index.length; i++) {
                element += index[i] * dims.get(i)[1];
            }
            long position = element * es;
            long remaining = runBytes;
            while (remaining > 0) {
                if (filled == buf.length) {
                    out.write(buf, 0, filled);
                    filled = 0;
                }
                int chunk = (int) Math.min(remaining, buf.length - filled);
                window.copy(position, buf, filled, chunk);
                if (swap) {
                    reverseElements(buf, filled, chunk, es);
                }
                filled += chunk;
                position += chunk;
                remaining -= chunk;
            }
            if (!advance(index, dims)) {
                break;
            }
        }
        out.write(buf, 0, filled);
    }

    /**
     * Drops size-1 dimensions and merges neighbours whose strides chain; returns {size, stride}
     * pairs.
     */
    static List<long[]> collapse(long[] shape, long[] strides) {
        List<long[]> dims = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            long[] last = dims.isEmpty() ? null : dims.get(dims.size() - 1);
            if (last != null
                    && shape[i] <= Long.MAX_VALUE / Math.max(1, strides[i])
                    && last[1] == shape[i] * strides[i]) {
                last[0] = Math.multiplyExact(last[0], shape[i]);
                last[1] = strides[i];
            } else {
                dims.add(new long[] {shape[i], strides[i]});
            }
        }
        return dims;
    }

    private static boolean advance(long[] index, List<long[]> dims) {
        for (int i = index.length - 1; i >= 0; i--) {
            if (++index[i] < dims.get(i)[0]) {
                return true;
            }
            index[i] = 0;
        }
        return false;
    }

    private static void reverseElements(byte[] b, int off, int len, int es) {
        for (int e = off; e < off + len; e += es) {
            for (int i = 0, j = es - 1; i < j; i++, j--) {
                byte t = b[e + i];
                b[e + i] = b[e + j];
                b[e + j] = t;
            }
        }
    }

    /** Storage bytes by position. */
    private interface ByteSource {
        void copy(long position, byte[] dst, int off, int len) throws IOException;
    }

    /** A cached slice of the storage bytes within [spanStart, spanEnd). */
    private static final class Window implements ByteSource {
        private final TensorStorage storage;
        private final long spanStart;
        private final long spanEnd;
        private final byte[] bytes;
        private long start;
        private int length;

        Window(TensorStorage storage, long spanStart, long spanEnd, int capacity) {
            this.storage = storage;
            this.spanStart = spanStart;
            this.spanEnd = spanEnd;
            this.bytes = new byte[capacity];
        }

        @Override
        public void copy(long position, byte[] dst, int off, int len) throws IOException {
            while (len > 0) {
                if (position < start || position >= start + length) {
                    load(position);
                }
                int n = (int) Math.min(len, start + length - position);
                System.arraycopy(bytes, (int) (position - start), dst, off, n);
                position += n;
                off += n;
                len -= n;
            }
        }

        private void load(long position) throws IOException {
            start = Math.max(spanStart, Math.min(position, spanEnd - bytes.length));
            length = (int) Math.min(bytes.length, spanEnd - start);
            storage.read(start, bytes, 0, length);
        }
    }

    /**
     * A direct-mapped cache of storage pages (elements never straddle pages: the page size is a
     * multiple of 16). The slot count is prime so that power-of-two row strides spread over all
     * slots instead of colliding in a few.
     */
    private static final class PageCache implements ByteSource {
        private final TensorStorage storage;
        private final long end;
        private final int page;
        private final int slots;
        private final long[] tags;
        private final byte[] pages;

        PageCache(TensorStorage storage, long end, int page, int maxPages) {
            this.storage = storage;
            this.end = end;
            this.page = page;
            this.slots = largestPrimeAtMost(maxPages);
            this.tags = new long[slots];
            Arrays.fill(tags, -1);
            this.pages = new byte[slots * page];
        }

        @Override
        public void copy(long position, byte[] dst, int off, int len) throws IOException {
            while (len > 0) {
                long index = position / page;
                int slot = (int) (index % slots);
                if (tags[slot] != index) {
                    long start = index * page;
                    storage.read(start, pages, slot * page, (int) Math.min(page, end - start));
                    tags[slot] = index;
                }
                int inPage = (int) (position - index * page);
                int n = Math.min(len, page - inPage);
                System.arraycopy(pages, slot * page + inPage, dst, off, n);
                position += n;
                off += n;
                len -= n;
            }
        }

        private static int largestPrimeAtMost(int n) {
            for (int c = n; c > 2; c--) {
                if (isPrime(c)) {
                    return c;
                }
            }
            return 2;
        }

        private static boolean isPrime(int n) {
            if (n % 2 == 0) {
                return n == 2;
            }
            for (int d = 3; (long) d * d <= n; d += 2) {
                if (n % d == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
