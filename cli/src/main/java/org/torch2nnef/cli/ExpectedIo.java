package org.torch2nnef.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.torch2nnef.check.ExpectedOutputs;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * {@code check --io-npz FILE}: the user's inputs and torch's outputs, {@code input_0..} and {@code
 * output_0..} in the model's order, at the example sizes and at other sizes of the dynamic dims
 * ({@code input_0@2}, {@code output_0@2}), as torch.export users save them (torch2nnef cannot run a
 * {@code .pt2} through libtorch).
 */
final class ExpectedIo {
    private final Path file;
    private final TensorBundle bundle;

    private ExpectedIo(Path file, TensorBundle bundle) {
        this.file = file;
        this.bundle = bundle;
    }

    static ExpectedIo read(Path file) throws IOException {
        return new ExpectedIo(file, Npz.read(file));
    }

    /**
     * @return {@code ""} for the example sizes, then each other size's suffix ({@code @2}), sorted
     */
    List<String> sizes() {
        TreeSet<String> out = new TreeSet<>();
        for (String name : bundle.names()) {
            if (name.startsWith("input_")) {
                int at = name.indexOf('@');
                out.add(at < 0 ? "" : name.substring(at));
            }
        }
        return List.copyOf(out);
    }

    /** The inputs at one size, renamed to the NNEF model's input names. */
    TensorBundle inputs(String size, List<String> nnefInputs) throws IOException {
        TensorBundle b = new TensorBundle(file + " " + describe(size));
        for (int i = 0; i < nnefInputs.size(); i++) {
            b.add(require("input_" + i + size).withName(nnefInputs.get(i)));
        }
        return b;
    }

    /** torch's outputs at one size, in order. */
    ExpectedOutputs outputs(String size) throws IOException {
        List<HostTensor> outs = new ArrayList<>();
        for (int i = 0; bundle.find("output_" + i + size).isPresent(); i++) {
            outs.add(bundle.get("output_" + i + size));
        }
        if (outs.isEmpty()) {
            throw new IOException("--io-npz " + file + ": no output_0" + size);
        }
        return new ExpectedOutputs(file.getFileName() + " " + describe(size), outs);
    }

    private HostTensor require(String name) throws IOException {
        return bundle.find(name)
                .orElseThrow(
                        () ->
                                new IOException(
                                        "--io-npz "
                                                + file
                                                + ": no "
                                                + name
                                                + " (it holds "
                                                + bundle.names()
                                                + ")"));
    }

    static String describe(String size) {
        return size.isEmpty() ? "(example sizes)" : "(sizes " + size + ")";
    }
}
