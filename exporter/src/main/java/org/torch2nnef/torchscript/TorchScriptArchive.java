package org.torch2nnef.torchscript;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.torch2nnef.torchscript.pickle.PickleException;
import org.torch2nnef.torchscript.pickle.RestrictedUnpickler;

/**
 * A traced TorchScript archive ({@code torch.jit.save}): the module object tree of {@code
 * data.pkl}, the constants of {@code constants.pkl}, generated code and its debug info.
 *
 * <p>Both layouts are read: torch 1.x puts every entry under {@code <name>/}; torch 2.x uses the
 * same layout under a fixed prefix (usually {@code archive/}) and adds {@code byteorder} and {@code
 * .data/} entries. Tensor data is not loaded here: {@link TorchTensor}s read their bytes from the
 * open zip on demand, so keep the archive open while using them. Thread-safe for reading.
 */
public final class TorchScriptArchive implements AutoCloseable {
    private static final String DATA_PKL = "data.pkl";
    private static final String CONSTANTS_PKL = "constants.pkl";

    private final ZipEntries zip;
    private final ReaderLimits limits;
    private final String prefix;
    private final boolean bigEndian;
    private final ScriptObject root;
    private final List<Object> constants;
    private final Map<String, Optional<DebugInfo>> debugInfos = new ConcurrentHashMap<>();

    private TorchScriptArchive(
            ZipEntries zip,
            ReaderLimits limits,
            String prefix,
            boolean bigEndian,
            ScriptObject root,
            List<Object> constants) {
        this.zip = zip;
        this.limits = limits;
        this.prefix = prefix;
        this.bigEndian = bigEndian;
        this.root = root;
        this.constants = constants;
    }

    /**
     * Opens an archive and decodes its object tree and constants (not tensor data).
     *
     * @param path a {@code .pt} file written by {@code torch.jit.save}
     * @return the open archive; close it when its tensors are no longer needed
     * @throws TorchScriptFormatException if the file is not a readable TorchScript archive, or
     *     exceeds a {@link ReaderLimits} set by system properties
     * @throws IOException if the file cannot be read
     */
    public static TorchScriptArchive open(Path path) throws IOException {
        return open(path, ReaderLimits.fromSystemProperties());
    }

    /**
     * Opens an archive within the given limits.
     *
     * @param path a {@code .pt} file written by {@code torch.jit.save}
     * @param limits the bounds on entry sizes and pickles
     * @return the open archive; close it when its tensors are no longer needed
     * @throws TorchScriptFormatException if the file is not a readable TorchScript archive or
     *     exceeds a limit (the message names the entry and the limit's property)
     * @throws IOException if the file cannot be read
     */
    public static TorchScriptArchive open(Path path, ReaderLimits limits) throws IOException {
        ZipEntries zip = ZipEntries.open(path, limits);
        try {
            String prefix = findPrefix(zip);
            boolean bigEndian = readByteOrder(zip, prefix);
            Object rootValue = unpickle(zip, limits, prefix, DATA_PKL, "data", bigEndian);
            if (!(rootValue instanceof ScriptObject root)) {
                String hint =
                        rootValue instanceof Map<?, ?>
                                ? " (a torch.save state dict? only torch.jit.save archives hold modules)"
                                : "";
                throw new TorchScriptFormatException(
                        path
                                + ": "
                                + prefix
                                + DATA_PKL
                                + " holds "
                                + RestrictedUnpickler.describe(rootValue)
                                + ", not a module object"
                                + hint);
            }
            List<Object> constants = List.of();
            if (zip.contains(prefix + CONSTANTS_PKL)) {
                Object c = unpickle(zip, limits, prefix, CONSTANTS_PKL, "constants", bigEndian);
                if (!(c instanceof List<?> list)) {
                    throw new TorchScriptFormatException(
                            path
                                    + ": "
                                    + prefix
                                    + CONSTANTS_PKL
                                    + " holds "
                                    + RestrictedUnpickler.describe(c)
                                    + ", not a tuple");
                }
                constants = Collections.unmodifiableList(new ArrayList<>(list));
            }
            return new TorchScriptArchive(zip, limits, prefix, bigEndian, root, constants);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static String findPrefix(ZipEntries zip) throws TorchScriptFormatException {
        List<String> candidates = new ArrayList<>();
        for (String name : zip.names()) {
            int slash = name.indexOf('/');
            if (slash >= 0 && name.substring(slash + 1).equals(DATA_PKL)) {
                candidates.add(name.substring(0, slash + 1));
            }
        }
        if (candidates.isEmpty()) {
            boolean legacy = zip.names().stream().anyMatch(n -> n.endsWith("/model.json"));
            throw new TorchScriptFormatException(
                    "missing data.pkl: no '<name>/data.pkl' entry in "
                            + zip.path()
                            + (legacy
                                    ? " (it has model.json: the pre-1.4 TorchScript format, not supported)"
                                    : " (is it a TorchScript archive?)"));
        }
        if (candidates.size() > 1) {
            throw new TorchScriptFormatException(
                    "ambiguous archive " + zip.path() + ": data.pkl under each of " + candidates);
        }
        return candidates.get(0);
    }

    private static boolean readByteOrder(ZipEntries zip, String prefix) throws IOException {
        if (!zip.contains(prefix + "byteorder")) {
            return false; // torch 1.x archives predate the entry and are little-endian
        }
        String order =
                new String(zip.readAll(prefix + "byteorder"), StandardCharsets.US_ASCII).trim();
        return switch (order) {
            case "little" -> false;
            case "big" -> true;
            default ->
                    throw new TorchScriptFormatException(
                            zip.path()
                                    + ": "
                                    + prefix
                                    + "byteorder says '"
                                    + order
                                    + "', expected 'little' or 'big'");
        };
    }

    private static Object unpickle(
            ZipEntries zip,
            ReaderLimits limits,
            String prefix,
            String pickle,
            String storageDir,
            boolean bigEndian)
            throws IOException {
        byte[] bytes = zip.readAll(prefix + pickle);
        try {
            return RestrictedUnpickler.load(
                    bytes,
                    pickle,
                    TorchPickleHandler.forTensors(zip, prefix + storageDir, bigEndian),
                    limits.pickle());
        } catch (PickleException e) {
            throw new TorchScriptFormatException(e.getMessage() + " of " + zip.path(), e);
        }
    }

    /**
     * @return the archive file
     */
    public Path path() {
        return zip.path();
    }

    /**
     * @return the entry prefix, e.g. {@code model/} (torch 1.x, the saved file's stem) or {@code
     *     archive/}
     */
    public String prefix() {
        return prefix;
    }

    /**
     * @return the top-level module object
     */
    public ScriptObject root() {
        return root;
    }

    /**
     * @return the traced constants in order: element N is {@code CONSTANTS.cN} in the code (usually
     *     {@link TorchTensor}s)
     */
    public List<Object> constants() {
        return constants;
    }

    /**
     * @param index N of {@code CONSTANTS.cN}
     * @return the constant
     * @throws IndexOutOfBoundsException if there is no such constant
     */
    public Object constant(int index) {
        return constants.get(index);
    }

    /**
     * @return the serialization format version: the {@code version} entry (3 for torch 1.13 and
     *     2.x), else {@code .data/version}, which torch writes instead when the model uses ops
     *     whose schema was upgraded (e.g. 10 for gelu, div or full under torch 1.13)
     * @throws IOException if the entry is unreadable or not a number
     */
    public Optional<Long> formatVersion() throws IOException {
        Optional<String> text = readText("version").map(String::trim);
        if (text.isEmpty()) {
            text = dataVersion();
        }
        try {
            return text.map(Long::valueOf);
        } catch (NumberFormatException e) {
            throw new TorchScriptFormatException(
                    zip.path() + ": " + prefix + "version is not a number: '" + text.get() + "'",
                    e);
        }
    }

    /**
     * @return the {@code .data/version} entry (torch 2.x Python writers), if present
     * @throws IOException if the entry is unreadable
     */
    public Optional<String> dataVersion() throws IOException {
        return readText(".data/version").map(String::trim);
    }

    /**
     * @return the {@code .data/serialization_id} entry (torch 2.x writers), if present
     * @throws IOException if the entry is unreadable
     */
    public Optional<String> serializationId() throws IOException {
        return readText(".data/serialization_id").map(String::trim);
    }

    /**
     * @return whether a {@code byteorder} entry marks this as a torch 2.x-style archive
     */
    public boolean hasByteOrderEntry() {
        return zip.contains(prefix + "byteorder");
    }

    /**
     * @return whether storages are big-endian (from {@code byteorder}; little when absent)
     */
    public boolean isBigEndian() {
        return bigEndian;
    }

    /**
     * @return the names of the extra files ({@code extra/*}, e.g. producer info), without prefix
     */
    public List<String> extraFiles() {
        List<String> out = new ArrayList<>();
        for (String name : zip.names()) {
            if (name.startsWith(prefix + "extra/")) {
                out.add(name.substring(prefix.length() + "extra/".length()));
            }
        }
        return out;
    }

    /**
     * @param name an extra file name, as listed by {@link #extraFiles()}
     * @return its bytes
     * @throws IOException if there is no such extra file
     */
    public byte[] extraFile(String name) throws IOException {
        return zip.readAll(prefix + "extra/" + name);
    }

    /**
     * @return the qualified names of all code modules, e.g. {@code __torch__} and {@code
     *     __torch__.torch.nn.modules.conv.___torch_mangle_3}
     */
    public List<String> sourceModules() {
        List<String> out = new ArrayList<>();
        String code = prefix + "code/";
        for (String name : zip.names()) {
            if (name.startsWith(code) && name.endsWith(".py")) {
                out.add(name.substring(code.length(), name.length() - 3).replace('/', '.'));
            }
        }
        return out;
    }

    /**
     * @param qualifiedModule e.g. {@code __torch__.torch.nn.modules.conv}
     * @return the code file path inside the archive, without prefix, e.g. {@code
     *     code/__torch__/torch/nn/modules/conv.py}
     */
    public static String codeFile(String qualifiedModule) {
        return "code/" + qualifiedModule.replace('.', '/') + ".py";
    }

    /**
     * @param qualifiedModule e.g. {@code __torch__.torch.nn.modules.conv} (see {@link
     *     ScriptObject#codeModule()})
     * @return the TorchScript source text of that module, if the archive has it
     * @throws IOException if the entry cannot be read
     */
    public Optional<String> source(String qualifiedModule) throws IOException {
        return readCodeFile(codeFile(qualifiedModule))
                .map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /**
     * Reads a code file by its path relative to the archive prefix; the signature fits {@code
     * ScriptCodeIndex.CodeReader} ({@code new ScriptCodeIndex(archive::readCodeFile)}).
     *
     * @param codePath e.g. {@code code/__torch__/torch/nn/modules/conv.py}
     * @return the file's bytes (UTF-8 text), or empty if the archive has no such code file
     * @throws IOException if the entry cannot be read
     * @throws IllegalArgumentException if {@code codePath} is not under {@code code/}
     */
    public Optional<byte[]> readCodeFile(String codePath) throws IOException {
        if (!codePath.startsWith("code/") || codePath.contains("..")) {
            throw new IllegalArgumentException("not a code file path: " + codePath);
        }
        String entry = prefix + codePath;
        return zip.contains(entry) ? Optional.of(zip.readAll(entry)) : Optional.empty();
    }

    /**
     * Decodes (once) the {@code .debug_pkl} of a code module.
     *
     * @param qualifiedModule e.g. {@code __torch__.torch.nn.modules.conv}
     * @return the mapping from that code file to original source, if the archive has debug info
     * @throws IOException if the debug info is unreadable or malformed
     */
    public Optional<DebugInfo> debugInfo(String qualifiedModule) throws IOException {
        return debugInfoOfCodeFile(codeFile(qualifiedModule));
    }

    /**
     * Decodes (once) the {@code .debug_pkl} next to a code file.
     *
     * @param codePath e.g. {@code code/__torch__/torch/nn/modules/conv.py}
     * @return the mapping from that code file to original source, if the archive has debug info
     * @throws IOException if the debug info is unreadable or malformed
     */
    public Optional<DebugInfo> debugInfoOfCodeFile(String codePath) throws IOException {
        Optional<DebugInfo> cached = debugInfos.get(codePath);
        if (cached != null) {
            return cached;
        }
        String pkl = prefix + codePath + ".debug_pkl";
        Optional<byte[]> code = readCodeFile(codePath);
        Optional<DebugInfo> info = Optional.empty();
        if (zip.contains(pkl) && code.isPresent()) {
            try {
                info =
                        Optional.of(
                                DebugInfo.decode(
                                        codePath,
                                        code.get(),
                                        zip.readAll(pkl),
                                        pkl,
                                        limits.pickle()));
            } catch (PickleException e) {
                throw new TorchScriptFormatException(e.getMessage() + " of " + zip.path(), e);
            }
        }
        debugInfos.put(codePath, info);
        return info;
    }

    private Optional<String> readText(String name) throws IOException {
        if (!zip.contains(prefix + name)) {
            return Optional.empty();
        }
        return Optional.of(new String(zip.readAll(prefix + name), StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
