package org.torch2nnef.export;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.torch2nnef.nnef.contract.ModelPropertyKeys;
import org.torch2nnef.nnef.io.NnefArchiveWriter;

/**
 * What to export and how; build with {@link #builder(Path)}. The output format follows the output
 * name: {@code .nnef.tgz}, {@code .nnef.tar}, otherwise a directory.
 */
public final class ExportOptions {
    private final Path output;
    private final List<InputDeclaration> inputs;
    private final List<DynamicAxes> dynamicAxes;
    private final Optional<Path> inputsNpz;
    private final List<String> outputNames;
    private final NamingScheme naming;
    private final boolean strict;
    private final int compressionLevel;
    private final TractTarget tract;
    private final SortedMap<String, String> properties;
    private final boolean propertyIdentity;

    private ExportOptions(Builder b) {
        this.output = b.output;
        this.inputs = List.copyOf(b.inputs);
        this.dynamicAxes = List.copyOf(b.dynamicAxes);
        this.inputsNpz = Optional.ofNullable(b.inputsNpz);
        this.outputNames = List.copyOf(b.outputNames);
        this.naming = b.naming;
        this.strict = b.strict;
        this.compressionLevel = b.compressionLevel;
        this.tract = b.tract;
        this.properties = Collections.unmodifiableSortedMap(new TreeMap<>(b.properties));
        this.propertyIdentity = b.propertyIdentity;
    }

    /**
     * @param output where to write the model ({@code .nnef.tgz}, {@code .nnef.tar} or a directory)
     * @return a builder with natural-verbose names, tract extensions allowed, compression level 6
     */
    public static Builder builder(Path output) {
        return new Builder(output);
    }

    /**
     * @return where the model is written
     */
    public Path output() {
        return output;
    }

    /**
     * @return the declared inputs, as given (empty when an npz declares them); see {@link
     *     InputBinding}
     */
    public List<InputDeclaration> inputs() {
        return inputs;
    }

    /**
     * @return the dynamic axes of declared inputs
     */
    public List<DynamicAxes> dynamicAxes() {
        return dynamicAxes;
    }

    /**
     * @return the {@code .npz} whose arrays declare the inputs (names, shapes, dtypes), if any
     */
    public Optional<Path> inputsNpz() {
        return inputsNpz;
    }

    /**
     * @return NNEF names for the outputs in order, or empty for the names in the code
     */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * @return how intermediate tensors and variables are named
     */
    public NamingScheme naming() {
        return naming;
    }

    /**
     * @return whether only standard NNEF is allowed (no tract extensions)
     */
    public boolean strict() {
        return strict;
    }

    /**
     * @return the gzip level of a {@code .nnef.tgz} output, 0..9
     */
    public int compressionLevel() {
        return compressionLevel;
    }

    /**
     * @return the tract release the export must be readable by ({@code --tract-version})
     */
    public TractTarget tract() {
        return tract;
    }

    /**
     * @return the user's {@code --property KEY=VALUE} pairs, sorted by key
     */
    public SortedMap<String, String> properties() {
        return properties;
    }

    /**
     * @return whether the properties name the run (time, host, user): {@code --property-identity}
     */
    public boolean propertyIdentity() {
        return propertyIdentity;
    }

    /**
     * @param inputNames NNEF names of the inputs (declared names), or empty for the code's names
     * @return the options of the graph translation
     */
    public TranslationOptions translationOptions(List<String> inputNames) {
        return new TranslationOptions(naming, strict, inputNames, outputNames, tract);
    }

    /** Builder of {@link ExportOptions}. */
    public static final class Builder {
        private final Path output;
        private List<InputDeclaration> inputs = List.of();
        private List<DynamicAxes> dynamicAxes = List.of();
        private Path inputsNpz;
        private List<String> outputNames = List.of();
        private NamingScheme naming = NamingScheme.NATURAL_VERBOSE;
        private boolean strict;
        private int compressionLevel = NnefArchiveWriter.DEFAULT_COMPRESSION_LEVEL;
        private TractTarget tract = TractTarget.NEWEST_SUPPORTED;
        private final Map<String, String> properties = new TreeMap<>();
        private boolean propertyIdentity;

        private Builder(Path output) {
            this.output = Objects.requireNonNull(output, "output");
        }

        /**
         * @param declarations the model inputs, each binding the {@code forward} argument of its
         *     name, or else the one at its position ({@link InputBinding}); their names become the
         *     NNEF input names
         * @return this builder
         */
        public Builder inputs(List<InputDeclaration> declarations) {
            this.inputs = List.copyOf(declarations);
            return this;
        }

        /**
         * @param axes dynamic axes of declared inputs, e.g. {@code x:1=S}
         * @return this builder
         */
        public Builder dynamicAxes(List<DynamicAxes> axes) {
            this.dynamicAxes = List.copyOf(axes);
            return this;
        }

        /**
         * @param npz an {@code .npz} of example inputs: its array names, shapes and dtypes declare
         *     the inputs
         * @return this builder
         */
        public Builder inputsNpz(Path npz) {
            this.inputsNpz = npz;
            return this;
        }

        /**
         * @param names NNEF names of the outputs, in order (valid NNEF identifiers)
         * @return this builder
         */
        public Builder outputNames(List<String> names) {
            this.outputNames = List.copyOf(names);
            return this;
        }

        /**
         * @param scheme the naming scheme
         * @return this builder
         */
        public Builder naming(NamingScheme scheme) {
            this.naming = Objects.requireNonNull(scheme, "scheme");
            return this;
        }

        /**
         * @param strict standard NNEF only: fail naming every op that needs a tract extension
         * @return this builder
         */
        public Builder strict(boolean strict) {
            this.strict = strict;
            return this;
        }

        /**
         * @param level gzip level 0..9 of a {@code .nnef.tgz} output
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder compressionLevel(int level) {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException(
                        "compression level " + level + " is not in 0..9");
            }
            this.compressionLevel = level;
            return this;
        }

        /**
         * @param target the tract release the export must be readable by (default {@link
         *     TractTarget#NEWEST_SUPPORTED})
         * @return this builder
         */
        public Builder tract(TractTarget target) {
            this.tract = Objects.requireNonNull(target, "target");
            return this;
        }

        /**
         * @param key a property name for {@code tract_core_properties} (letters, digits, {@code _ .
         *     -})
         * @param value its value
         * @return this builder
         * @throws IllegalArgumentException for a bad key, or one of the properties the exporter
         *     writes itself
         */
        public Builder property(String key, String value) {
            if (!key.matches("[A-Za-z][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException(
                        "property name '" + key + "' must be letters, digits, '_', '.', '-'");
            }
            if (ModelPropertyKeys.RESERVED.contains(key)) {
                throw new IllegalArgumentException(
                        "property " + key + " is written by the exporter itself");
            }
            properties.put(key, Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param identity also write when and where the export ran (time, host, user); off by
         *     default so exports are reproducible byte for byte
         * @return this builder
         */
        public Builder propertyIdentity(boolean identity) {
            this.propertyIdentity = identity;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException if inputs are declared both explicitly and by an npz
         */
        public ExportOptions build() {
            if (!inputs.isEmpty() && inputsNpz != null) {
                throw new IllegalArgumentException(
                        "declare the inputs either one by one or by an .npz file, not both");
            }
            return new ExportOptions(this);
        }
    }
}
