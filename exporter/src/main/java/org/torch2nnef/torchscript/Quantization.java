package org.torch2nnef.torchscript;

import java.util.Objects;

/**
 * Quantization parameters of a quantized tensor: real = (q - zeroPoint) * scale.
 *
 * @param scheme the quantization scheme
 * @param scale the per-tensor scale (NaN for per-channel schemes)
 * @param zeroPoint the per-tensor zero point (0 for per-channel schemes)
 * @param channelScales per-channel scales (float64 tensor, one per index along {@code axis}), or
 *     null
 * @param channelZeroPoints per-channel zero points (int64 tensor), or null
 * @param axis the channel axis for per-channel schemes, -1 otherwise
 */
public record Quantization(
        QScheme scheme,
        double scale,
        long zeroPoint,
        TorchTensor channelScales,
        TorchTensor channelZeroPoints,
        int axis) {

    /** Checks that per-tensor and per-channel fields are used consistently. */
    public Quantization {
        Objects.requireNonNull(scheme, "scheme");
        if (scheme.isPerChannel()
                != (channelScales != null && channelZeroPoints != null && axis >= 0)) {
            throw new IllegalArgumentException(
                    "inconsistent quantization parameters for " + scheme.torchName());
        }
    }

    /**
     * @param scheme a per-tensor scheme
     * @param scale the scale
     * @param zeroPoint the zero point
     * @return per-tensor parameters
     */
    public static Quantization perTensor(QScheme scheme, double scale, long zeroPoint) {
        return new Quantization(scheme, scale, zeroPoint, null, null, -1);
    }

    /**
     * @param scheme a per-channel scheme
     * @param scales per-channel scales
     * @param zeroPoints per-channel zero points
     * @param axis the channel axis
     * @return per-channel parameters
     */
    public static Quantization perChannel(
            QScheme scheme, TorchTensor scales, TorchTensor zeroPoints, int axis) {
        return new Quantization(scheme, Double.NaN, 0, scales, zeroPoints, axis);
    }

    /**
     * @return whether parameters are per channel
     */
    public boolean isPerChannel() {
        return scheme.isPerChannel();
    }
}
