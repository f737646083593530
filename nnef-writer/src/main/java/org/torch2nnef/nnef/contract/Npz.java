package org.torch2nnef.nnef.contract;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The numpy {@code .npz} container: a zip of {@code KEY.npy} entries, as {@code np.savez} and tract
 * write it. tract's {@code --input-from-bundle} and {@code --assert-output-bundle} take the tensor
 * name from the entry name minus {@code .npy} (and read {@code turn_N/NAME.npy} as turn N of a
 * pulsed run), so a bundle is written with one {@code NAME.npy} entry per tensor.
 *
 * <p>We do not use DJL's {@code NDList.decode}: it needs a native engine's {@code NDManager} and
 * would copy every array into libtorch memory just to read a file.
 */
public final class Npz {
    private static final String SUFFIX = ".npy";

    private Npz() {}

    /**
     * Reads every entry of {@code file}, stored or deflated; key {@code a/b.npy} becomes tensor
     * {@code a/b}. Uses the zip central directory, so zips written by any tool are read.
     *
     * @throws IOException naming the file and entry on malformed content
     */
    public static TensorBundle read(Path file) throws IOException {
        TensorBundle bundle = new TensorBundle(file.toString());
        forEachEntry(file, (in, name, where) -> bundle.add(Npy.read(in, name, where)));
        return bundle;
    }

    /**
     * Reads the names, types and shapes of the arrays of {@code file} from their headers only (the
     * data is never read), so that an inputs file can declare a model's inputs.
     *
     * @return the headers in the file's order
     * @throws IOException naming the file and entry on malformed content
     */
    public static List<NpyHeader> headers(Path file) throws IOException {
        List<NpyHeader> out = new ArrayList<>();
        forEachEntry(file, (in, name, where) -> out.add(Npy.readHeader(in, name, where)));
        return out;
    }

    /** What is done with each array entry: {@code in} is at its start. */
    private interface EntryReader {
        void read(InputStream in, String name, String where) throws IOException;
    }

    private static void forEachEntry(Path file, EntryReader reader) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                String key = entry.getName();
                String name =
                        key.endsWith(SUFFIX)
                                ? key.substring(0, key.length() - SUFFIX.length())
                                : key;
                String where = file + "!" + key;
                try (InputStream in = new BufferedInputStream(zip.getInputStream(entry))) {
                    reader.read(in, name, where);
                } catch (IllegalArgumentException e) {
                    throw new IOException(where + ": " + e.getMessage(), e);
                }
            }
        } catch (ZipException e) {
            throw new IOException(file + ": not an .npz (zip) file: " + e.getMessage(), e);
        }
    }

    /** Writes {@code bundle} to {@code file} (deflated), one {@code NAME.npy} per tensor. */
    public static void write(TensorBundle bundle, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(bundle, out);
        }
    }

    /** Writes {@code bundle} as an npz to {@code out}, which is finished but not closed. */
    public static void write(TensorBundle bundle, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (HostTensor t : bundle.tensors()) {
            zip.putNextEntry(new ZipEntry(t.name() + SUFFIX));
            Npy.write(t, zip);
            zip.closeEntry();
        }
        zip.finish();
    }
}
