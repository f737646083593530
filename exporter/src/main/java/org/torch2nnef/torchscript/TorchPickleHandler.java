package org.torch2nnef.torchscript;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.torchscript.pickle.PickleException;
import org.torch2nnef.torchscript.pickle.PickleHandler;
import org.torch2nnef.torchscript.pickle.RestrictedUnpickler;

/**
 * The globals torch's TorchScript pickler writes, and nothing else: tensor and parameter
 * rebuilders, typed storage classes, quantization schemes, {@code collections.OrderedDict}, the
 * {@code torch.jit._pickle} list helpers, and {@code __torch__.*} classes (module objects, built
 * from their attribute dict). Any other global is refused by name before anything is made.
 */
final class TorchPickleHandler implements PickleHandler {

    /** Callables this handler implements. */
    private enum Fn {
        REBUILD_TENSOR_V2,
        REBUILD_PARAMETER,
        REBUILD_PARAMETER_WITH_STATE,
        REBUILD_QTENSOR,
        ORDERED_DICT,
        LIST_HELPER,
        RESTORE_TYPE_TAG,
        DEVICE
    }

    /** A {@code __torch__.*} class reference. */
    private record ClassRef(String qualifiedName) {}

    /** A storage class reference such as {@code torch.FloatStorage}. */
    private record StorageType(TorchDType dtype) {}

    private static final Map<String, Fn> FUNCTIONS =
            Map.ofEntries(
                    Map.entry("torch._utils._rebuild_tensor_v2", Fn.REBUILD_TENSOR_V2),
                    Map.entry("torch._utils._rebuild_parameter", Fn.REBUILD_PARAMETER),
                    Map.entry(
                            "torch._utils._rebuild_parameter_with_state",
                            Fn.REBUILD_PARAMETER_WITH_STATE),
                    Map.entry("torch._utils._rebuild_qtensor", Fn.REBUILD_QTENSOR),
                    Map.entry("collections.OrderedDict", Fn.ORDERED_DICT),
                    Map.entry("torch.jit._pickle.build_intlist", Fn.LIST_HELPER),
                    Map.entry("torch.jit._pickle.build_doublelist", Fn.LIST_HELPER),
                    Map.entry("torch.jit._pickle.build_boollist", Fn.LIST_HELPER),
                    Map.entry("torch.jit._pickle.build_tensorlist", Fn.LIST_HELPER),
                    Map.entry("torch.jit._pickle.restore_type_tag", Fn.RESTORE_TYPE_TAG),
                    Map.entry("torch.device", Fn.DEVICE));

    private final ZipEntries zip;
    private final String storageDir;
    private final boolean bigEndian;
    private final boolean allowTorchObjects;
    private final Map<String, TensorStorage> storages = new HashMap<>();

    private TorchPickleHandler(
            ZipEntries zip, String storageDir, boolean bigEndian, boolean allowTorchObjects) {
        this.zip = zip;
        this.storageDir = storageDir;
        this.bigEndian = bigEndian;
        this.allowTorchObjects = allowTorchObjects;
    }

    /**
     * @param zip the archive
     * @param storageDir where this pickle's storages live, e.g. {@code model/data}
     * @param bigEndian whether the archive's {@code byteorder} is big
     * @return a handler for {@code data.pkl} or {@code constants.pkl}
     */
    static TorchPickleHandler forTensors(ZipEntries zip, String storageDir, boolean bigEndian) {
        return new TorchPickleHandler(zip, storageDir, bigEndian, true);
    }

    /**
     * @return a handler for {@code .debug_pkl} files: only the {@code torch.jit._pickle} helpers
     */
    static TorchPickleHandler forDebugInfo() {
        return new TorchPickleHandler(null, null, false, false);
    }

    @Override
    public Object resolveGlobal(String module, String name) throws PickleException {
        String qualified = module + "." + name;
        Fn fn = FUNCTIONS.get(qualified);
        if (fn != null
                && (allowTorchObjects || fn == Fn.LIST_HELPER || fn == Fn.RESTORE_TYPE_TAG)) {
            return fn;
        }
        if (allowTorchObjects) {
            if (module.equals("__torch__") || module.startsWith("__torch__.")) {
                return new ClassRef(qualified);
            }
            if (module.equals("torch")) {
                Optional<TorchDType> dtype = TorchDType.fromStorageClass(name);
                if (dtype.isPresent()) {
                    return new StorageType(dtype.get());
                }
                Optional<QScheme> scheme = QScheme.fromTorchName(name);
                if (scheme.isPresent()) {
                    return scheme.get();
                }
            }
            if (qualified.equals("torch.storage.UntypedStorage")) {
                return new StorageType(TorchDType.UINT8); // raw bytes
            }
        }
        throw new PickleException("unknown pickle global '" + qualified + "'");
    }

    @Override
    public Object persistentLoad(Object pid) throws PickleException {
        if (zip == null) {
            throw new PickleException(
                    "unexpected persistent id "
                            + RestrictedUnpickler.brief(pid)
                            + " (this pickle holds no tensors)");
        }
        if (!(pid instanceof List<?> t)
                || t.size() != 5
                || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof StorageType type)
                || !(t.get(2) instanceof String key)
                || !(t.get(4) instanceof Long count)) {
            throw new PickleException(
                    "malformed storage persistent id "
                            + RestrictedUnpickler.brief(pid)
                            + " (expected ('storage', torch.<Type>Storage, key, location, numel))");
        }
        TensorStorage existing = storages.get(key);
        if (existing != null) {
            return existing;
        }
        String entry = storageDir + "/" + key;
        long size = zip.size(entry);
        if (size < 0) {
            throw new PickleException("missing storage entry '" + entry + "'");
        }
        // count comes from the file: 2^62 elements of 4 bytes must not wrap to 0 bytes
        long declared =
                count < 0 || count > Long.MAX_VALUE / type.dtype().elementSize()
                        ? Long.MAX_VALUE
                        : count * type.dtype().elementSize();
        if (count < 0 || size < declared) {
            throw new PickleException(
                    "storage entry '"
                            + entry
                            + "' holds "
                            + size
                            + " bytes but the pickle declares "
                            + count
                            + " "
                            + type.dtype().torchName()
                            + " elements"
                            + (declared == Long.MAX_VALUE ? "" : " (" + declared + " bytes)"));
        }
        TensorStorage storage =
                new TensorStorage(
                        zip, entry, key, String.valueOf(t.get(3)), type.dtype(), count, bigEndian);
        storages.put(key, storage);
        return storage;
    }

    @Override
    public Object call(Object callable, List<Object> args) throws PickleException {
        if (!(callable instanceof Fn fn)) {
            throw new PickleException("cannot call " + describeToken(callable));
        }
        return switch (fn) {
            case REBUILD_TENSOR_V2 -> {
                requireArgs(args, 5, "_rebuild_tensor_v2");
                yield tensor(args, Boolean.TRUE.equals(args.get(4)), null);
            }
            case REBUILD_QTENSOR -> {
                requireArgs(args, 6, "_rebuild_qtensor");
                yield tensor(args, Boolean.TRUE.equals(args.get(5)), quantization(args.get(4)));
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                requireArgs(args, 2, "_rebuild_parameter");
                if (!(args.get(0) instanceof TorchTensor data)) {
                    throw new PickleException(
                            "_rebuild_parameter expects a tensor, got "
                                    + RestrictedUnpickler.describe(args.get(0)));
                }
                yield data.withRequiresGrad(Boolean.TRUE.equals(args.get(1)));
            }
            case ORDERED_DICT -> {
                if (!args.isEmpty()) {
                    throw new PickleException("collections.OrderedDict called with arguments");
                }
                yield new LinkedHashMap<Object, Object>();
            }
            case LIST_HELPER -> {
                requireArgs(args, 1, "torch.jit._pickle list helper");
                yield args.get(0);
            }
            case RESTORE_TYPE_TAG -> {
                requireArgs(args, 2, "torch.jit._pickle.restore_type_tag");
                yield args.get(0);
            }
            case DEVICE -> {
                // device attributes of scripted submodules: kept as their text, e.g. "cpu" or
                // "cuda:0"
                if (args.size() != 1 || !(args.get(0) instanceof String device)) {
                    throw new PickleException(
                            "torch.device expects one string, got "
                                    + RestrictedUnpickler.brief(args));
                }
                yield device;
            }
        };
    }

    @Override
    public Object newObject(Object cls, List<Object> args) throws PickleException {
        if (cls instanceof ClassRef ref) {
            return new ScriptObject(ref.qualifiedName());
        }
        throw new PickleException("cannot instantiate " + describeToken(cls));
    }

    @Override
    public void build(Object object, Object state) throws PickleException {
        if (!(object instanceof ScriptObject o)) {
            throw new PickleException(
                    "BUILD on "
                            + RestrictedUnpickler.describe(object)
                            + "; only __torch__ objects take state");
        }
        if (state instanceof Map<?, ?> map
                && map.keySet().stream().allMatch(String.class::isInstance)) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                o.setAttribute((String) e.getKey(), e.getValue());
            }
        } else {
            o.setState(state);
            QuantizedModuleState.apply(o, state);
        }
    }

    private TorchTensor tensor(List<Object> args, boolean requiresGrad, Quantization quantization)
            throws PickleException {
        if (!(args.get(0) instanceof TensorStorage storage)) {
            throw new PickleException(
                    "tensor rebuild expects a storage, got "
                            + RestrictedUnpickler.describe(args.get(0)));
        }
        long offset = asLong(args.get(1), "storage offset");
        long[] shape = longs(args.get(2), "size");
        long[] strides = longs(args.get(3), "stride");
        try {
            TensorViews.check(storage, offset, shape, strides);
        } catch (IllegalArgumentException e) {
            throw new PickleException(e.getMessage());
        }
        if (quantization == null && storage.dtype().isQuantized()) {
            throw new PickleException(
                    "quantized storage " + storage + " rebuilt without quantization parameters");
        }
        return new TorchTensor(storage, offset, shape, strides, requiresGrad, quantization);
    }

    private static Quantization quantization(Object params) throws PickleException {
        if (!(params instanceof List<?> p)
                || p.isEmpty()
                || !(p.get(0) instanceof QScheme scheme)) {
            throw new PickleException(
                    "malformed quantizer parameters " + RestrictedUnpickler.brief(params));
        }
        if (!scheme.isPerChannel() && p.size() == 3) {
            double scale = p.get(1) instanceof Number n ? n.doubleValue() : Double.NaN;
            return Quantization.perTensor(scheme, scale, asLong(p.get(2), "zero point"));
        }
        if (scheme.isPerChannel()
                && p.size() == 4
                && p.get(1) instanceof TorchTensor scales
                && p.get(2) instanceof TorchTensor zeroPoints) {
            return Quantization.perChannel(
                    scheme, scales, zeroPoints, (int) asLong(p.get(3), "axis"));
        }
        throw new PickleException(
                "malformed "
                        + scheme.torchName()
                        + " quantizer parameters "
                        + RestrictedUnpickler.brief(params));
    }

    private static void requireArgs(List<Object> args, int min, String what)
            throws PickleException {
        if (args.size() < min) {
            throw new PickleException(what + " needs " + min + " arguments, got " + args.size());
        }
    }

    private static long asLong(Object v, String what) throws PickleException {
        if (v instanceof Long l) {
            return l;
        }
        throw new PickleException(what + " is not an int: " + RestrictedUnpickler.brief(v));
    }

    private static long[] longs(Object v, String what) throws PickleException {
        if (!(v instanceof List<?> list)) {
            throw new PickleException(what + " is not a tuple: " + RestrictedUnpickler.brief(v));
        }
        long[] r = new long[list.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = asLong(list.get(i), what);
        }
        return r;
    }

    private static String describeToken(Object token) {
        if (token instanceof ClassRef c) {
            return c.qualifiedName();
        }
        if (token instanceof StorageType s) {
            return "torch." + s.dtype().storageClass();
        }
        return String.valueOf(token);
    }
}
