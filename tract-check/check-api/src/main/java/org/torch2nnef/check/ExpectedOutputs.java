package org.torch2nnef.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.torch2nnef.check.torch.TorchReferenceRequest;
import org.torch2nnef.check.torch.TorchReferenceResult;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * torch's outputs as the user computed them ({@code check --io-npz}), standing in for the torch run
 * where libtorch cannot run the model (DJL cannot run a torch.export {@code .pt2}): the outputs, in
 * order, are named after the NNEF model's outputs.
 */
public final class ExpectedOutputs implements TorchRunner {
    private final String source;
    private final List<HostTensor> outputs;

    /**
     * @param source where they come from, e.g. {@code m.npz (output_0@2, ...)}, for the report
     * @param outputs torch's outputs in the order of the model's outputs
     */
    public ExpectedOutputs(String source, List<HostTensor> outputs) {
        this.source = source;
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) {
        List<String> names = request.outputNames();
        if (!names.isEmpty() && names.size() != outputs.size()) {
            throw new IllegalArgumentException(
                    source
                            + " holds "
                            + outputs.size()
                            + " outputs, the NNEF model has "
                            + names.size()
                            + " "
                            + names);
        }
        TensorBundle io = new TensorBundle(source);
        request.inputs().forEach(io::add);
        List<HostTensor> named = new ArrayList<>();
        for (int i = 0; i < outputs.size(); i++) {
            HostTensor t = outputs.get(i).withName(names.isEmpty() ? "output_" + i : names.get(i));
            named.add(t);
            io.add(t);
        }
        return new TorchReferenceResult(io, named, "none (expected outputs from " + source + ")");
    }

    @Override
    public String djlVersion() {
        return "none";
    }

    @Override
    public TorchRunner inChildProcess(Duration timeout) {
        return this; // nothing runs
    }
}
