package org.torch2nnef.check.torch;

import ai.djl.engine.Engine;
import java.io.IOException;
import org.torch2nnef.check.TorchRunner;

/** The installed {@link TorchRunner}: {@link TorchReference} on DJL's PyTorch engine. */
public final class LibtorchRunner implements TorchRunner {
    @Override
    public TorchReferenceResult run(TorchReferenceRequest request) throws IOException {
        return TorchReference.run(request);
    }

    @Override
    public String djlVersion() {
        return Engine.getDjlVersion();
    }
}
