package org.torch2nnef.torchscript;

import java.io.IOException;
import java.util.Optional;

/**
 * One storage of a TorchScript archive: a zip entry ({@code data/<key>} or {@code constants/<key>})
 * holding {@code elementCount} elements of one dtype. Several tensors may view the same storage at
 * different offsets and strides. Bytes are read on demand; nothing is cached here.
 */
public final class TensorStorage {
    private final ZipEntries zip;
    private final String entryName;
    private final String key;
    private final String location;
    private final TorchDType dtype;
    private final long elementCount;
    private final boolean bigEndian;

    TensorStorage(
            ZipEntries zip,
            String entryName,
            String key,
            String location,
            TorchDType dtype,
            long elementCount,
            boolean bigEndian) {
        this.zip = zip;
        this.entryName = entryName;
        this.key = key;
        this.location = location;
        this.dtype = dtype;
        this.elementCount = elementCount;
        this.bigEndian = bigEndian;
    }

    /**
     * @return the full zip entry name, e.g. {@code model/data/3}
     */
    public String entryName() {
        return entryName;
    }

    /**
     * @return the storage key in the pickle, e.g. {@code 3}
     */
    public String key() {
        return key;
    }

    /**
     * @return the device the storage was saved from, e.g. {@code cpu}
     */
    public String location() {
        return location;
    }

    /**
     * @return the element type
     */
    public TorchDType dtype() {
        return dtype;
    }

    /**
     * @return the number of elements the storage holds
     */
    public long elementCount() {
        return elementCount;
    }

    /**
     * @return the number of bytes the storage holds
     */
    public long byteSize() {
        return Math.multiplyExact(elementCount, dtype.elementSize());
    }

    /**
     * @return whether the archive stores elements big-endian ({@code byteorder} entry says "big")
     */
    public boolean isBigEndian() {
        return bigEndian;
    }

    /** Reads raw (archive byte order) bytes of this storage. */
    void read(long byteOffset, byte[] dst, int off, int len) throws IOException {
        zip.read(entryName, byteOffset, dst, off, len);
    }

    /**
     * Where raw bytes of this storage lie in the archive file, if its entry is stored uncompressed.
     */
    Optional<ArchiveSlice> slice(long byteOffset, long length) {
        return zip.slice(entryName, byteOffset, length);
    }

    @Override
    public String toString() {
        return entryName + " (" + dtype.torchName() + "[" + elementCount + "])";
    }
}
