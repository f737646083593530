package org.torch2nnef.nnef.io;

/**
 * A tensor whose payload a {@code .dat} file cannot hold: its header stores the data length in 32
 * bits, so no NNEF reader (tract included) can load more than {@link DatHeader#MAX_DATA_LENGTH}
 * bytes per tensor. Found before anything is written.
 */
public final class TensorTooLargeException extends NnefFormatException {
    private static final long serialVersionUID = 1L;

    private final String label;

    /**
     * @param label the tensor's label
     * @param bytes its payload size
     */
    TensorTooLargeException(String label, long bytes) {
        super(
                "tensor '"
                        + label
                        + "' holds "
                        + bytes
                        + " bytes, more than the "
                        + DatHeader.MAX_DATA_LENGTH
                        + " bytes (4 GiB) an NNEF .dat file can hold (its header stores a 32-bit"
                        + " data length): split the parameter or keep it out of the exported graph");
        this.label = label;
    }

    /** The label of the tensor that is too large. */
    public String label() {
        return label;
    }
}
