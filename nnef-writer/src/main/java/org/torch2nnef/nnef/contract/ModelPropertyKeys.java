package org.torch2nnef.nnef.contract;

import java.util.Set;

/**
 * The keys of the {@code tract_core_properties} the exporter writes into a model and the checker
 * reads back (tract reads the fragment too: sonos/tract nnef/src/deser.rs, {@code
 * parse_properties}).
 */
public final class ModelPropertyKeys {
    /** The fragment tract looks for. */
    public static final String FRAGMENT = "tract_core_properties";

    /** The version of torch2nnef that exported the model. */
    public static final String TORCH2NNEF_VERSION = "torch2nnef_version";

    /** The tract release the model was exported for ({@link TractRelease}). */
    public static final String TRACT_TARGET_VERSION = "tract_target_version";

    /** The file name of the exported TorchScript. */
    public static final String SOURCE_FILE = "source_file";

    /** The SHA-256 of the exported TorchScript. */
    public static final String SOURCE_SHA256 = "source_sha256";

    /** The TorchScript format version the archive records. */
    public static final String TORCHSCRIPT_FORMAT_VERSION = "torchscript_format_version";

    /** When the model was exported ({@code --property-identity}). */
    public static final String EXPORT_TIME = "export_time";

    /** Where the model was exported ({@code --property-identity}). */
    public static final String EXPORT_HOST = "export_host";

    /** Who exported the model ({@code --property-identity}). */
    public static final String EXPORT_USER = "export_user";

    /**
     * The sizes the export assumed equal ({@code S/2 == 2*(S/4); ...}), written when there are any:
     * the model is valid only at sizes where they are equal.
     */
    public static final String SIZE_ASSUMPTIONS = "size_assumptions";

    /**
     * The quantization step of each output that is torch's dequantization of a quantized tensor
     * ({@link OutputQuantization}): the check compares those outputs in steps.
     */
    public static final String OUTPUT_QUANTIZATION = "output_quantization";

    /**
     * The sizes a torch.export program allows its dynamic dims ({@code S: 2..512 (torch s98);
     * ...}), one per tract symbol, written when the model was exported from a {@code .pt2}.
     */
    public static final String SYMBOL_RANGES = "symbol_ranges";

    /** Every key the exporter writes; users cannot set them. */
    public static final Set<String> RESERVED =
            Set.of(
                    TORCH2NNEF_VERSION,
                    TRACT_TARGET_VERSION,
                    SOURCE_FILE,
                    SOURCE_SHA256,
                    TORCHSCRIPT_FORMAT_VERSION,
                    EXPORT_TIME,
                    EXPORT_HOST,
                    EXPORT_USER,
                    SIZE_ASSUMPTIONS,
                    OUTPUT_QUANTIZATION,
                    SYMBOL_RANGES);

    private ModelPropertyKeys() {}
}
