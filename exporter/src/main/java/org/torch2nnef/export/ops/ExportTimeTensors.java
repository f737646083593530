package org.torch2nnef.export.ops;

import org.torch2nnef.export.TranslationException;
import org.torch2nnef.nnef.model.Float16;
import org.torch2nnef.nnef.model.ItemType;
import org.torch2nnef.nnef.model.TensorData;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Items computed at export time as {@code .dat} data of a torch dtype, converted as torch converts
 * numbers.
 */
public final class ExportTimeTensors {
    private ExportTimeTensors() {}

    /**
     * @param dtype the tensor's dtype
     * @param shape its shape
     * @param values its items in row-major order (as doubles; integers truncate toward zero, bools
     *     are non-zero)
     * @return the data
     * @throws TranslationException for dtypes a {@code .dat} file cannot hold
     */
    public static TensorData of(TorchDType dtype, long[] shape, double... values)
            throws TranslationException {
        int n = values.length;
        switch (dtype) {
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) values[i];
                }
                return TensorData.ofFloats(shape, f);
            }
            case FLOAT64 -> {
                return TensorData.ofDoubles(shape, values.clone());
            }
            case FLOAT16 -> {
                short[] h = new short[n];
                for (int i = 0; i < n; i++) {
                    h[i] = Float16.fromFloat((float) values[i]);
                }
                return TensorData.ofShorts(ItemType.FLOAT16, shape, h);
            }
            case INT64 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = (long) values[i];
                }
                return TensorData.ofLongs(shape, l);
            }
            case INT32 -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (int) (long) values[i];
                }
                return TensorData.ofInts(ItemType.INT32, shape, v);
            }
            case INT16 -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (short) (long) values[i];
                }
                return TensorData.ofShorts(ItemType.INT16, shape, v);
            }
            case INT8, UINT8 -> {
                byte[] v = new byte[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (byte) (long) values[i];
                }
                return TensorData.ofBytes(
                        dtype == TorchDType.INT8 ? ItemType.INT8 : ItemType.UINT8, shape, v);
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = values[i] != 0;
                }
                return TensorData.ofBooleans(shape, b);
            }
            default ->
                    throw new TranslationException(
                            "a tensor of dtype "
                                    + dtype.torchName()
                                    + " cannot be made at export time");
        }
    }
}
