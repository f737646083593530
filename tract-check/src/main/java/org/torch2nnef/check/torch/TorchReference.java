package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.check.tensor.DType;
import org.torch2nnef.check.tensor.HostTensor;
import org.torch2nnef.check.tensor.Npz;
import org.torch2nnef.check.tensor.TensorBundle;

/**
 * Runs a TorchScript archive through DJL's PyTorch engine (libtorch from the
 * {@code pytorch-native-cpu} jar; {@code ai.djl.offline} is set to true unless already set) and
 * produces the reference outputs. The first run extracts libtorch to {@code ~/.djl.ai}.
 */
public final class TorchReference {
  private static final String ENGINE = "PyTorch";
  private static final String OFFLINE = "ai.djl.offline";

  private TorchReference() {}

  /**
   * Loads the model, runs {@code forward(inputs...)} once and collects the outputs.
   *
   * @throws IOException when the model cannot be read or loaded, naming the file
   * @throws IllegalArgumentException when the output count differs from the given names, an
   *     output is not a tensor, or an input type has no libtorch equivalent
   */
  public static TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
    Path model = request.model();
    if (!Files.isRegularFile(model)) {
      throw new IOException(model + ": TorchScript file not found");
    }
    // libtorch comes from the pytorch-native-cpu jar; DJL must never try to download it.
    if (System.getProperty(OFFLINE) == null) {
      System.setProperty(OFFLINE, "true");
    }
    Engine engine = Engine.getEngine(ENGINE);
    try (PtNDManager manager = (PtNDManager) engine.newBaseManager()) {
      PtSymbolBlock block;
      try {
        block = JniUtils.loadModule(manager, model.toAbsolutePath(), false, new String[0],
            new String[0], false);
      } catch (RuntimeException e) {
        throw new IOException(model + ": libtorch cannot load it as TorchScript: "
            + firstLine(e.getMessage()), e);
      }
      try (block) {
        List<PtNDArray> flat = forward(block, manager, request.inputs(), model);
        List<String> names = outputNames(request.outputNames(), flat.size(), model);
        TensorBundle io = new TensorBundle("torch reference of " + model);
        request.inputs().forEach(io::add);
        List<HostTensor> outputs = new ArrayList<>();
        for (int i = 0; i < flat.size(); i++) {
          HostTensor t = toHost(flat.get(i), names.get(i), model);
          outputs.add(t);
          io.add(t);
        }
        return new TorchReferenceResult(io, outputs, engine.getVersion());
      }
    }
  }

  /**
   * Reads the named tensors of {@code npz} in the given order, as inputs for {@link #run}.
   *
   * @throws IllegalArgumentException naming the file when a name is missing
   */
  public static List<HostTensor> inputsFromNpz(Path npz, List<String> inputNames)
      throws IOException {
    TensorBundle bundle = Npz.read(npz);
    List<HostTensor> inputs = new ArrayList<>();
    for (String name : inputNames) {
      inputs.add(bundle.get(name));
    }
    return inputs;
  }

  private static List<PtNDArray> forward(PtSymbolBlock block, PtNDManager manager,
      List<HostTensor> inputs, Path model) throws IOException {
    IValue[] args = new IValue[inputs.size()];
    try {
      for (int i = 0; i < args.length; i++) {
        args[i] = IValue.from(toTorch(inputs.get(i), manager));
      }
      IValue result;
      try {
        result = block.forward(args);
      } catch (RuntimeException e) {
        throw new IOException(model + ": forward failed on inputs " + inputs + ": "
            + firstLine(e.getMessage()), e);
      }
      try (result) {
        List<PtNDArray> flat = new ArrayList<>();
        flatten(result, manager, flat, "output", model);
        return flat;
      }
    } finally {
      for (IValue v : args) {
        if (v != null) {
          v.close();
        }
      }
    }
  }

  /** Tuples and lists flattened depth-first, the order the exporter numbers outputs in. */
  private static void flatten(IValue v, PtNDManager manager, List<PtNDArray> out, String path,
      Path model) {
    if (v.isTensor()) {
      out.add(v.toTensor(manager));
    } else if (v.isTensorList()) {
      out.addAll(List.of(v.toTensorArray(manager)));
    } else if (v.isTuple() || v.isList()) {
      IValue[] items = v.isTuple() ? v.toIValueTuple() : v.toIValueArray();
      for (int i = 0; i < items.length; i++) {
        try (IValue item = items[i]) {
          flatten(item, manager, out, path + "[" + i + "]", model);
        }
      }
    } else {
      throw new IllegalArgumentException(model + ": " + path + " is a " + v.getType()
          + ", only tensors and tuples/lists of tensors can be outputs");
    }
  }

  private static List<String> outputNames(List<String> given, int count, Path model) {
    if (given.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        names.add("output_" + i);
      }
      return names;
    }
    if (given.size() != count) {
      throw new IllegalArgumentException(model + " returns " + count + " tensors but "
          + given.size() + " output names were given: " + given);
    }
    return given;
  }

  private static PtNDArray toTorch(HostTensor t, PtNDManager manager) {
    if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IllegalStateException("big-endian hosts are not supported");
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(t.elementCount() * t.dtype().byteSize())
        .order(ByteOrder.nativeOrder());
    direct.put(t.data()).flip();
    return manager.create(direct, new Shape(t.shape()), djlType(t.dtype(), t.name()));
  }

  private static HostTensor toHost(PtNDArray a, String name, Path model) {
    DType dtype = hostType(a.getDataType(), name, model);
    ByteBuffer fromTorch = a.toByteBuffer();
    ByteBuffer heap = ByteBuffer.allocate(fromTorch.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    heap.put(fromTorch).flip();
    return HostTensor.of(name, dtype, a.getShape().getShape(), heap);
  }

  private static DataType djlType(DType t, String name) {
    return switch (t) {
      case F16 -> DataType.FLOAT16;
      case F32 -> DataType.FLOAT32;
      case F64 -> DataType.FLOAT64;
      case I8 -> DataType.INT8;
      case I16 -> DataType.INT16;
      case I32 -> DataType.INT32;
      case I64 -> DataType.INT64;
      case U8 -> DataType.UINT8;
      case BOOL -> DataType.BOOLEAN;
      default -> throw new IllegalArgumentException(
          "input '" + name + "': libtorch has no " + t.label() + " tensors");
    };
  }

  private static DType hostType(DataType t, String name, Path model) {
    return switch (t) {
      case FLOAT16 -> DType.F16;
      case FLOAT32 -> DType.F32;
      case FLOAT64 -> DType.F64;
      case INT8 -> DType.I8;
      case INT16 -> DType.I16;
      case INT32 -> DType.I32;
      case INT64 -> DType.I64;
      case UINT8 -> DType.U8;
      case BOOLEAN -> DType.BOOL;
      default -> throw new IllegalArgumentException(
          model + ": output '" + name + "' has unsupported type " + t);
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
