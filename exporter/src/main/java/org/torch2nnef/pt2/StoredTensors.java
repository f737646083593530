package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.torch2nnef.torchscript.RawTensorArchive;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * The tensors of one folder of a {@code .pt2} ({@code data/weights/} or {@code data/constants/}):
 * its config maps each name to a raw entry ({@code path_name}) and its metadata ({@code
 * tensor_meta}); the views are checked against their entries when the config is read.
 */
final class StoredTensors {
    private final Map<String, TorchTensor> byName;

    private StoredTensors(Map<String, TorchTensor> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * @param zip the archive
     * @param folder e.g. {@code m/data/weights/}
     * @param configName e.g. {@code model_weights_config.json}
     * @return the folder's tensors (none when it has no config)
     */
    static StoredTensors read(RawTensorArchive zip, String folder, String configName)
            throws IOException {
        String entry = folder + configName;
        if (!zip.contains(entry)) {
            return new StoredTensors(new LinkedHashMap<>());
        }
        String where = zip.path() + "!" + entry;
        JsonNode config =
                JsonFields.object(JsonFields.parse(zip.readAll(entry), where), "config", where);
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = config.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = where + " '" + e.getKey() + "'";
            JsonNode item = e.getValue();
            if (item.path("use_pickle").asBoolean(false)) {
                throw new ProgramFormatException(
                        at + ": a pickled tensor (use_pickle), which torch2nnef does not read");
            }
            String pathName = JsonFields.text(item, "path_name", at);
            if (pathName.contains("/") || pathName.contains("..")) {
                throw new ProgramFormatException(
                        at + ": path_name '" + pathName + "' leaves " + folder);
            }
            TensorMeta meta = TensorMeta.read(JsonFields.object(item, "tensor_meta", at), at);
            out.put(
                    e.getKey(),
                    zip.tensor(
                            folder + pathName,
                            meta.dtype(),
                            meta.concreteSizes(at),
                            meta.concreteStrides(at),
                            meta.storageOffset(),
                            item.path("is_param").asBoolean(false)));
        }
        return new StoredTensors(out);
    }

    Optional<TorchTensor> tensor(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Map<String, TorchTensor> all() {
        return byName;
    }
}
