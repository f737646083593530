package org.torch2nnef.nnef.model;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import java.util.Optional;

/** Tensor whose payload a caller-supplied {@link TensorData.PayloadWriter} streams on demand. */
final class LazyTensorData extends AbstractTensorData {
    private final PayloadWriter writer;
    private final FileRegion region;

    /** {@code region} may be null (the payload exists only as a stream). */
    LazyTensorData(ItemType type, long[] shape, PayloadWriter writer, FileRegion region) {
        super(type, shape);
        this.writer = Objects.requireNonNull(writer, "payload writer");
        if (region != null && region.length() != payloadBytes()) {
            throw new IllegalArgumentException(
                    "file region of "
                            + region.length()
                            + " bytes for a payload of "
                            + payloadBytes()
                            + " bytes");
        }
        this.region = region;
    }

    @Override
    public Optional<FileRegion> fileRegion() {
        return Optional.ofNullable(region);
    }

    @Override
    public void writePayload(OutputStream out) throws IOException {
        writer.writeTo(out);
    }

    @Override
    String source() {
        return "lazy";
    }
}
