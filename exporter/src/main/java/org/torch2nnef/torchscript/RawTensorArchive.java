package org.torch2nnef.torchscript;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A zip whose tensors are entries of raw storage bytes with their metadata kept elsewhere, as in
 * torch.export's {@code .pt2} ({@code data/weights/weight_N} described by {@code
 * model_weights_config.json}). Reads metadata entries whole within the {@link ReaderLimits}, as
 * {@link TorchScriptArchive} does, and views tensors with the same checks; tensor bytes stay in the
 * zip until written.
 */
public final class RawTensorArchive implements AutoCloseable {
    private final ZipEntries zip;

    private RawTensorArchive(ZipEntries zip) {
        this.zip = zip;
    }

    /**
     * @param path the zip file
     * @param limits the bounds on entries read whole
     * @return the open archive
     * @throws TorchScriptFormatException if the file is not a readable zip
     * @throws IOException if the file cannot be read
     */
    public static RawTensorArchive open(Path path, ReaderLimits limits) throws IOException {
        return new RawTensorArchive(ZipEntries.open(path, limits));
    }

    /**
     * @return the zip file
     */
    public Path path() {
        return zip.path();
    }

    /**
     * @return every entry name, in directory order
     */
    public List<String> names() {
        return zip.names();
    }

    /**
     * @param name an entry name
     * @return whether the zip has it
     */
    public boolean contains(String name) {
        return zip.contains(name);
    }

    /**
     * Reads a metadata entry whole, within its limit (the name's part after the first {@code /}
     * picks it, e.g. {@code models/model.json}) and that of all entries read whole.
     *
     * @param name the full entry name
     * @return its bytes
     * @throws TorchScriptFormatException if it is missing, over a limit or corrupt
     * @throws IOException if reading fails
     */
    public byte[] readAll(String name) throws IOException {
        return zip.readAll(name);
    }

    /**
     * A tensor viewing the raw little-endian storage held by {@code entry}.
     *
     * @param entry the full entry name
     * @param dtype the element type
     * @param shape sizes
     * @param strides strides in elements
     * @param offset the storage offset in elements
     * @param requiresGrad whether torch saved it as requiring gradients
     * @return the tensor, its bytes read when written
     * @throws TorchScriptFormatException if the entry is missing, is not a whole number of
     *     elements, or the view does not lie inside it
     */
    public TorchTensor tensor(
            String entry,
            TorchDType dtype,
            long[] shape,
            long[] strides,
            long offset,
            boolean requiresGrad)
            throws TorchScriptFormatException {
        long size = zip.size(entry);
        if (size < 0) {
            throw new TorchScriptFormatException("missing entry '" + entry + "' in " + path());
        }
        if (size % dtype.elementSize() != 0) {
            throw new TorchScriptFormatException(
                    path()
                            + "!"
                            + entry
                            + ": "
                            + size
                            + " bytes are not a whole number of "
                            + dtype.torchName()
                            + " elements");
        }
        TensorStorage storage =
                new TensorStorage(
                        zip, entry, entry, "cpu", dtype, size / dtype.elementSize(), false);
        try {
            TensorViews.check(storage, offset, shape, strides);
        } catch (IllegalArgumentException e) {
            throw new TorchScriptFormatException(path() + ": " + e.getMessage());
        }
        return new TorchTensor(storage, offset, shape, strides, requiresGrad, null);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
