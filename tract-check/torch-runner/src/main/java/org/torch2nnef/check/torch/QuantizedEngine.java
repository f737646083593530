package org.torch2nnef.check.torch;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * libtorch's quantized engine ({@code torch.backends.quantized.engine} in Python), which picks the
 * kernels of quantized ops: their rounding differs, so a check must run the engine the model was
 * calibrated with, or the one whose arithmetic the exported model follows. DJL exposes no setter;
 * libtorch exports {@code at::globalContext()}, {@code at::Context::qEngine()} and {@code
 * setQEngine(c10::QEngine)} from {@code libtorch_cpu}, which JNA (a dependency of DJL) calls. DJL's
 * libtorch 2.7.1 starts on {@code x86}; torch 1.13 with {@code qnnpack} and DJL with {@code
 * qnnpack} give bit-identical outputs on the samples of {@code samples/quantized}.
 */
public final class QuantizedEngine {
    /** c10::QEngine's values, by index (c10/core/QEngine.h). */
    public static final List<String> NAMES = List.of("none", "fbgemm", "qnnpack", "onednn", "x86");

    private static final String GLOBAL_CONTEXT = "_ZN2at13globalContextEv";
    private static final String GET = "_ZNK2at7Context7qEngineEv";
    private static final String SET = "_ZN2at7Context10setQEngineEN3c107QEngineE";
    private static final String SUPPORTED = "_ZN2at7Context17supportedQEnginesEv";

    /** The engine libtorch started on, read before the first {@link #use}. */
    private static String initial;

    private QuantizedEngine() {}

    /**
     * The engine libtorch started on (x86 for DJL's 2.7.1), whatever {@link #use} set since: what a
     * run naming no engine gets. libtorch must be loaded.
     */
    public static synchronized String initial() {
        if (initial == null) {
            initial = current();
        }
        return initial;
    }

    /** The engine in force. libtorch must be loaded (DJL's engine started). */
    public static String current() {
        NativeLibrary lib = libtorch();
        int code = lib.getFunction(GET).invokeInt(new Object[] {context(lib)}) & 0xff;
        return code < NAMES.size() ? NAMES.get(code) : "engine " + code;
    }

    /**
     * Makes {@code name} the engine of every later quantized op (and of weights packed when a model
     * is loaded). libtorch must be loaded.
     *
     * @throws IllegalArgumentException naming the engines when {@code name} is none of them, or
     *     libtorch refuses it (not built in)
     */
    public static void use(String name) {
        initial();
        int code = NAMES.indexOf(name);
        if (code <= 0) {
            throw new IllegalArgumentException(
                    "unknown quantized engine '"
                            + name
                            + "', expected one of "
                            + String.join(", ", NAMES.subList(1, NAMES.size())));
        }
        List<String> supported = supported();
        if (!supported.contains(name)) {
            // setQEngine would throw a C++ exception, which no JNA frame can catch
            throw new IllegalArgumentException(
                    "this libtorch has no quantized engine '"
                            + name
                            + "'; it has "
                            + String.join(", ", supported));
        }
        NativeLibrary lib = libtorch();
        Function set = lib.getFunction(SET);
        set.invokeVoid(new Object[] {context(lib), code});
        if (!current().equals(name)) {
            throw new IllegalArgumentException(
                    "libtorch kept the quantized engine " + current() + " instead of " + name);
        }
    }

    /** The engines this libtorch was built with ({@code at::Context::supportedQEngines()}). */
    public static List<String> supported() {
        NativeLibrary lib = libtorch();
        // a const std::vector<c10::QEngine>&: begin and end pointers, one byte per engine
        Pointer vector = lib.getFunction(SUPPORTED).invokePointer(new Object[] {context(lib)});
        Pointer begin = vector.getPointer(0);
        long count =
                Pointer.nativeValue(vector.getPointer(Native.POINTER_SIZE))
                        - Pointer.nativeValue(begin);
        List<String> out = new ArrayList<>();
        for (byte code : begin.getByteArray(0, (int) Math.min(count, NAMES.size()))) {
            if (code >= 0 && code < NAMES.size()) {
                out.add(NAMES.get(code));
            }
        }
        return out;
    }

    private static Pointer context(NativeLibrary lib) {
        return lib.getFunction(GLOBAL_CONTEXT).invokePointer(new Object[0]);
    }

    /** The libtorch_cpu DJL loaded (dlopen of the same file returns the loaded library). */
    private static NativeLibrary libtorch() {
        return NativeLibrary.getInstance(
                Path.of(LibUtils.getLibtorchPath())
                        .resolve(System.mapLibraryName("torch_cpu"))
                        .toString());
    }
}
