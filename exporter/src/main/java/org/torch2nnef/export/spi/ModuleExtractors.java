package org.torch2nnef.export.spi;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.torch2nnef.export.ExportInputException;
import org.torch2nnef.nnef.io.IoMessages;

/**
 * The active {@link ModuleInfoExtractor}s by module class, discovered with {@link ServiceLoader}.
 *
 * <p>Precedence for one module class: an extractor from a plugin jar ({@code --plugins}) beats one
 * found on the class path, and a user extractor on the class path beats a built-in one (a class in
 * a package under {@code org.torch2nnef.}). Two extractors of the same precedence for the same
 * class are an error naming both.
 */
public final class ModuleExtractors {

    /** Where an extractor was found; a higher ordinal wins. */
    public enum Origin {
        /** shipped with torch2nnef (module {@code extractors}) */
        BUILT_IN,
        /** a user extractor on the class path */
        CLASS_PATH,
        /** a jar given with {@code --plugins} */
        PLUGIN
    }

    /**
     * One active extractor for one module class.
     *
     * @param moduleClass the torch class it handles
     * @param extractor the extractor
     * @param origin its precedence level
     * @param source where its class was loaded from (a jar or directory)
     */
    public record Entry(
            String moduleClass, ModuleInfoExtractor extractor, Origin origin, String source) {}

    private static final ModuleExtractors NONE = new ModuleExtractors(new TreeMap<>());

    private final Map<String, Entry> byClass;

    private ModuleExtractors(Map<String, Entry> byClass) {
        this.byClass = Collections.unmodifiableMap(byClass);
    }

    /**
     * @return no extractor: every module is exported op by op
     */
    public static ModuleExtractors none() {
        return NONE;
    }

    /**
     * @param loader where to look for {@code META-INF/services} entries
     * @return the extractors found there
     * @throws ExportInputException if an extractor cannot be instantiated or two conflict
     */
    public static ModuleExtractors discover(ClassLoader loader) throws ExportInputException {
        return discover(loader, List.of());
    }

    /**
     * @param loader the class path to look at
     * @param plugins plugin jars, or directories whose {@code *.jar} files are plugins
     * @return the extractors found, plugins overriding class-path ones
     * @throws ExportInputException if a plugin path does not exist or holds no jar, an extractor
     *     cannot be instantiated, or two of the same precedence conflict
     */
    public static ModuleExtractors discover(ClassLoader loader, List<Path> plugins)
            throws ExportInputException {
        Map<String, Entry> byClass = new TreeMap<>();
        load(ServiceLoader.load(ModuleInfoExtractor.class, loader), null, byClass);
        if (!plugins.isEmpty()) {
            List<URL> jars = new ArrayList<>();
            for (Path p : plugins) {
                jars.addAll(jars(p));
            }
            URLClassLoader pluginLoader =
                    new URLClassLoader("torch2nnef-plugins", jars.toArray(URL[]::new), loader);
            load(
                    ServiceLoader.load(ModuleInfoExtractor.class, pluginLoader),
                    pluginLoader,
                    byClass);
        }
        return new ModuleExtractors(byClass);
    }

    /** Whether {@code p} starts as a zip (and so a jar) does: a local header or an empty zip. */
    private static boolean isZip(Path p) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(p)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return false;
            }
        }
        return head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5);
    }

    private static List<URL> jars(Path p) throws ExportInputException {
        try {
            if (Files.isDirectory(p)) {
                List<URL> out = new ArrayList<>();
                try (Stream<Path> s = Files.list(p)) {
                    for (Path j :
                            s.filter(f -> f.getFileName().toString().endsWith(".jar"))
                                    .sorted()
                                    .toList()) {
                        out.add(j.toUri().toURL());
                    }
                }
                if (out.isEmpty()) {
                    throw new ExportInputException(
                            "--plugins " + p + ": the directory holds no .jar file");
                }
                return out;
            }
            if (!Files.isRegularFile(p)) {
                throw new ExportInputException("--plugins " + p + ": no such jar or directory");
            }
            if (!isZip(p)) {
                throw new ExportInputException(
                        "--plugins " + p + ": not a jar (a jar is a zip file), so no plugin");
            }
            return List.of(p.toUri().toURL());
        } catch (MalformedURLException e) {
            throw new ExportInputException("--plugins " + p + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ExportInputException("--plugins " + IoMessages.describe(p, e), e);
        }
    }

    private static void load(
            ServiceLoader<ModuleInfoExtractor> services,
            ClassLoader pluginLoader,
            Map<String, Entry> byClass)
            throws ExportInputException {
        try {
            for (ServiceLoader.Provider<ModuleInfoExtractor> provider :
                    services.stream().toList()) {
                Class<? extends ModuleInfoExtractor> type = provider.type();
                boolean fromPlugin = pluginLoader != null && type.getClassLoader() == pluginLoader;
                if (pluginLoader != null && !fromPlugin) {
                    continue; // already found on the class path
                }
                Origin origin =
                        fromPlugin
                                ? Origin.PLUGIN
                                : type.getName().startsWith("org.torch2nnef.")
                                        ? Origin.BUILT_IN
                                        : Origin.CLASS_PATH;
                ModuleInfoExtractor extractor = provider.get();
                for (String moduleClass : extractor.moduleClasses()) {
                    Entry e = new Entry(moduleClass, extractor, origin, source(type));
                    Entry previous = byClass.get(moduleClass);
                    if (previous == null || previous.origin().compareTo(origin) < 0) {
                        byClass.put(moduleClass, e);
                    } else if (previous.origin() == origin) {
                        throw new ExportInputException(
                                "two extractors handle "
                                        + moduleClass
                                        + ": "
                                        + previous.extractor().getClass().getName()
                                        + " ("
                                        + previous.source()
                                        + ") and "
                                        + type.getName()
                                        + " ("
                                        + e.source()
                                        + "); remove one");
                    }
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new ExportInputException("cannot load a module extractor: " + e.getMessage(), e);
        }
    }

    private static String source(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? "?" : cs.getLocation().toString();
    }

    /**
     * @param torchClass a module's torch class (unmangled)
     * @return the active extractor for it
     */
    public Optional<Entry> find(String torchClass) {
        return Optional.ofNullable(byClass.get(torchClass));
    }

    /**
     * @return every active extractor, by module class
     */
    public List<Entry> entries() {
        return List.copyOf(byClass.values());
    }

    /**
     * @return whether no extractor is active
     */
    public boolean isEmpty() {
        return byClass.isEmpty();
    }
}
