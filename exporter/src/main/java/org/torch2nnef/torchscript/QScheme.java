package org.torch2nnef.torchscript;

import java.util.Optional;

/** Quantization schemes as pickled by torch ({@code torch.per_tensor_affine}, ...). */
public enum QScheme {
    PER_TENSOR_AFFINE("per_tensor_affine", false),
    PER_CHANNEL_AFFINE("per_channel_affine", true),
    PER_TENSOR_SYMMETRIC("per_tensor_symmetric", false),
    PER_CHANNEL_SYMMETRIC("per_channel_symmetric", true),
    PER_CHANNEL_AFFINE_FLOAT_QPARAMS("per_channel_affine_float_qparams", true);

    private final String torchName;
    private final boolean perChannel;

    QScheme(String torchName, boolean perChannel) {
        this.torchName = torchName;
        this.perChannel = perChannel;
    }

    /**
     * @return the attribute name in module {@code torch}
     */
    public String torchName() {
        return torchName;
    }

    /**
     * @return whether scales and zero points are given per channel along an axis
     */
    public boolean isPerChannel() {
        return perChannel;
    }

    /**
     * @param torchName e.g. {@code per_tensor_affine}
     * @return the scheme, or empty if unknown
     */
    public static Optional<QScheme> fromTorchName(String torchName) {
        for (QScheme q : values()) {
            if (q.torchName.equals(torchName)) {
                return Optional.of(q);
            }
        }
        return Optional.empty();
    }
}
