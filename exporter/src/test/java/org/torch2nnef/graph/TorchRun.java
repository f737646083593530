package org.torch2nnef.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.torch2nnef.torchscript.TorchDType;

/**
 * Runs a sample's forward in libtorch (DJL) on seeded inputs and reports output shapes and dtypes.
 */
final class TorchRun {
    /** One output as torch computed it. */
    record Output(long[] shape, TorchDType dtype) {}

    private TorchRun() {}

    static List<Output> forward(NDManager parent, Path model, List<SampleModels.Input> inputs) {
        try (NDManager m = parent.newSubManager()) {
            PtSymbolBlock block =
                    JniUtils.loadModule(
                            (PtNDManager) m, model, true, new String[0], new String[0], false);
            IValue[] args = new IValue[inputs.size()];
            try {
                SplittableRandom rnd = new SplittableRandom(7);
                for (int i = 0; i < args.length; i++) {
                    args[i] = IValue.from((PtNDArray) create(m, inputs.get(i), rnd.split()));
                }
                try (IValue result = block.forward(args)) {
                    List<Output> out = new ArrayList<>();
                    flatten(result, (PtNDManager) m, out);
                    return out;
                }
            } finally {
                for (IValue a : args) {
                    if (a != null) {
                        a.close();
                    }
                }
                block.close();
            }
        }
    }

    private static NDArray create(NDManager m, SampleModels.Input in, SplittableRandom rnd) {
        int n = Math.toIntExact(Arrays.stream(in.shape()).reduce(1, Math::multiplyExact));
        Shape shape = new Shape(in.shape());
        return switch (in.dtype()) {
            case FLOAT32 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) rnd.nextDouble(-1, 1);
                }
                yield m.create(v, shape);
            }
            case INT64 -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextInt(10); // valid indices for the samples' embeddings
                }
                yield m.create(v, shape);
            }
            default -> throw new IllegalArgumentException("no test input of dtype " + in.dtype());
        };
    }

    private static void flatten(IValue v, PtNDManager m, List<Output> out) {
        if (v.isTensor()) {
            NDArray a = v.toTensor(m);
            out.add(new Output(a.getShape().getShape(), dtype(a.getDataType())));
        } else if (v.isTensorList()) {
            for (NDArray a : v.toTensorArray(m)) {
                out.add(new Output(a.getShape().getShape(), dtype(a.getDataType())));
            }
        } else if (v.isTuple() || v.isList()) {
            for (IValue item : v.isTuple() ? v.toIValueTuple() : v.toIValueArray()) {
                try (item) {
                    flatten(item, m, out);
                }
            }
        } else {
            throw new IllegalArgumentException("output of type " + v.getType());
        }
    }

    private static TorchDType dtype(DataType t) {
        return switch (t) {
            case FLOAT32 -> TorchDType.FLOAT32;
            case FLOAT64 -> TorchDType.FLOAT64;
            case FLOAT16 -> TorchDType.FLOAT16;
            case INT8 -> TorchDType.INT8;
            case INT32 -> TorchDType.INT32;
            case INT64 -> TorchDType.INT64;
            case UINT8 -> TorchDType.UINT8;
            case BOOLEAN -> TorchDType.BOOL;
            default -> throw new IllegalArgumentException("no torch dtype for DJL's " + t);
        };
    }
}
