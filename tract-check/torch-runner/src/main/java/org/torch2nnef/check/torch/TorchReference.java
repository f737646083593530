package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * Runs a TorchScript archive through DJL's PyTorch engine (libtorch from the {@code
 * pytorch-native-cpu} jar; {@code ai.djl.offline} is set to true unless already set) and produces
 * the reference outputs. The first run extracts libtorch to {@code ~/.djl.ai}.
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
        // before loading: a quantized model's weights are packed for the engine in force then;
        // a request naming none gets libtorch's default, not what an earlier request in this
        // process set
        String quantizedEngine = request.quantizedEngine().orElseGet(QuantizedEngine::initial);
        if (!quantizedEngine.equals(QuantizedEngine.current())) {
            QuantizedEngine.use(quantizedEngine);
        }
        try (PtNDManager manager = (PtNDManager) engine.newBaseManager()) {
            PtSymbolBlock block;
            try {
                block =
                        JniUtils.loadModule(
                                manager,
                                model.toAbsolutePath(),
                                false,
                                new String[0],
                                new String[0],
                                false);
            } catch (RuntimeException e) {
                throw new IOException(
                        model
                                + ": libtorch cannot load it as TorchScript: "
                                + firstLine(e.getMessage()),
                        e);
            }
            try (block) {
                List<PtNDArray> flat = forward(block, manager, request.inputs(), model);
                List<String> names = outputNames(request.outputNames(), flat.size(), model);
                TensorBundle io = new TensorBundle("torch reference of " + model);
                request.inputs().forEach(io::add);
                List<HostTensor> outputs = new ArrayList<>();
                for (int i = 0; i < flat.size(); i++) {
                    HostTensor t = DjlTensors.toHost(flat.get(i), names.get(i), model.toString());
                    outputs.add(t);
                    io.add(t);
                }
                return new TorchReferenceResult(
                        io, outputs, engine.getVersion(), QuantizedEngine.current());
            }
        }
    }

    private static List<PtNDArray> forward(
            PtSymbolBlock block, PtNDManager manager, List<HostTensor> inputs, Path model)
            throws IOException {
        IValue[] args = new IValue[inputs.size()];
        try {
            for (int i = 0; i < args.length; i++) {
                args[i] = IValue.from((PtNDArray) DjlTensors.toNd(inputs.get(i), manager));
            }
            IValue result;
            try {
                result = block.forward(args);
            } catch (RuntimeException e) {
                throw new IOException(
                        model
                                + ": forward failed on inputs "
                                + inputs
                                + ": "
                                + firstLine(e.getMessage()),
                        e);
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
    private static void flatten(
            IValue v, PtNDManager manager, List<PtNDArray> out, String path, Path model) {
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
            throw new IllegalArgumentException(
                    model
                            + ": "
                            + path
                            + " is a "
                            + v.getType()
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
            throw new IllegalArgumentException(
                    model
                            + " returns "
                            + count
                            + " tensors but "
                            + given.size()
                            + " output names were given: "
                            + given);
        }
        return given;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
