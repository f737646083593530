package org.torch2nnef.check.debug;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The versions a bug report needs. */
public final class Versions {
    private Versions() {}

    /**
     * torch2nnef, DJL, libtorch, tract, Java and OS versions. DJL, libtorch and tract are passed in
     * because reading them means loading their classes or natives or running a binary; absent ones
     * read {@code not used}.
     */
    public static Map<String, String> collect(
            Optional<String> djl, Optional<String> libtorch, Optional<String> tract) {
        Map<String, String> v = new LinkedHashMap<>();
        String ours = Versions.class.getPackage().getImplementationVersion();
        v.put("torch2nnef", ours != null ? ours : "development build");
        v.put("djl", djl.orElse("not used"));
        v.put("libtorch", libtorch.orElse("not used"));
        v.put("tract", tract.orElse("not used"));
        v.put(
                "java",
                System.getProperty("java.version")
                        + " ("
                        + System.getProperty("java.vendor")
                        + ")");
        v.put(
                "os",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"));
        return v;
    }
}
