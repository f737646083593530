package org.torch2nnef.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.model.Assignment;
import org.torch2nnef.nnef.model.Expr;
import org.torch2nnef.nnef.model.Fragment;
import org.torch2nnef.nnef.model.TypeName;
import org.torch2nnef.nnef.model.TypeSpec;

/**
 * The {@code tract_core_properties} fragment saying who made a model: tract reads it when loading
 * (sonos/tract nnef/src/deser.rs, {@code parse_properties}: a body-ful fragment returning {@code
 * (string, tensor<scalar>)[]} pairs, evaluated into the model's properties, shown by {@code tract
 * ... dump -s}). Written unless {@code --nnef-spec-strict}. Holds only what is the same on every
 * run of the same export (versions, source file name and sha256, user properties), so exports are
 * reproducible byte for byte; {@code --property-identity} adds time, host and user. The keys are
 * the exporter-checker contract ({@link ModelPropertyKeys}).
 */
public final class ModelProperties {
    private ModelProperties() {}

    /**
     * @return this exporter's version, from the Maven-filtered {@code version.properties}
     */
    public static String exporterVersion() {
        try (InputStream in = ModelProperties.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param source the TorchScript file exported, or null for an in-memory graph
     * @param formatVersion the archive's TorchScript format version, if recorded
     * @param options target version, user properties, identity flag
     * @return every property, sorted by key
     * @throws IOException if the source cannot be read for its checksum
     */
    public static SortedMap<String, String> of(
            Path source, Optional<Long> formatVersion, ExportOptions options) throws IOException {
        return source == null
                ? of(null, null, formatVersion, options)
                : of(source.getFileName().toString(), sha256(source), formatVersion, options);
    }

    /**
     * As {@link #of(Path, Optional, ExportOptions)}, with the source's name and SHA-256 given
     * (null: none).
     */
    static SortedMap<String, String> of(
            String sourceFile,
            String sourceSha256,
            Optional<Long> formatVersion,
            ExportOptions options) {
        SortedMap<String, String> p = new TreeMap<>(options.properties());
        p.put(ModelPropertyKeys.TORCH2NNEF_VERSION, exporterVersion());
        p.put(ModelPropertyKeys.TRACT_TARGET_VERSION, options.tract().toString());
        if (sourceFile != null) {
            p.put(ModelPropertyKeys.SOURCE_FILE, sourceFile);
            p.put(ModelPropertyKeys.SOURCE_SHA256, sourceSha256);
        }
        formatVersion.ifPresent(
                v -> p.put(ModelPropertyKeys.TORCHSCRIPT_FORMAT_VERSION, Long.toString(v)));
        if (options.propertyIdentity()) {
            p.put(ModelPropertyKeys.EXPORT_TIME, Instant.now().toString());
            p.put(ModelPropertyKeys.EXPORT_HOST, hostName());
            p.put(ModelPropertyKeys.EXPORT_USER, System.getProperty("user.name", "unknown"));
        }
        return p;
    }

    /**
     * @param properties key-value pairs
     * @return {@code fragment tract_core_properties() -> (properties: (string, tensor<scalar>)[])}
     *     returning them as string pairs
     */
    public static Fragment fragment(Map<String, String> properties) {
        List<Expr> pairs = new ArrayList<>();
        properties.forEach((k, v) -> pairs.add(Expr.tuple(Expr.str(k), Expr.str(v))));
        return Fragment.builder(ModelPropertyKeys.FRAGMENT)
                .result(
                        "properties",
                        new TypeSpec.Array(
                                new TypeSpec.Tuple(
                                        List.of(
                                                new TypeSpec.Primitive(TypeName.STRING),
                                                new TypeSpec.Tensor(TypeName.SCALAR)))))
                .assign(Assignment.of("properties", Expr.array(pairs)))
                .build();
    }

    /** Streams the file through SHA-256. */
    static String sha256(Path file) throws IOException {
        return SourceDigest.sha256(file, () -> false);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
