package org.torch2nnef.pt2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.torch2nnef.export.OpRegistry;
import org.torch2nnef.graph.ModuleCall;
import org.torch2nnef.graph.Node;
import org.torch2nnef.graph.Value;

/**
 * A program's module calls are recovered from its nodes' module stacks, with the inputs and outputs
 * an extractor of a traced call would see.
 */
class ProgramModuleCallsTest {

    @Test
    void eachModuleOfThePreDispatchTaggerIsOneCall() throws Exception {
        try (ExportedProgram p =
                ExportedProgram.open(
                        ProgramFixtures.program("bilstm_tagger"),
                        OpRegistry.standard().schemas(),
                        List.of())) {
            List<ModuleCall> calls = p.graph().rootCall().children();
            assertEquals(
                    List.of(
                            "torch.nn.modules.sparse.Embedding",
                            "torch.nn.modules.rnn.LSTM",
                            "torch.nn.modules.linear.Linear"),
                    calls.stream().map(c -> c.scope().torchClass()).toList());
            ModuleCall lstm = calls.get(1);
            assertEquals("lstm", lstm.scope().path());
            assertEquals(List.of("embedding"), names(lstm.inputs()));
            // only the sequence is read after the call; h_n and c_n are not
            assertEquals(List.of("getitem"), names(lstm.outputs()));
            assertEquals(
                    List.of(
                            "aten::zeros",
                            "aten::zeros",
                            "prim::ListConstruct",
                            "prim::ListConstruct",
                            "aten::lstm"),
                    lstm.allNodes().stream().map(Node::kind).toList());
            assertEquals(List.of("log_softmax"), names(p.graph().rootCall().outputs()));
            assertEquals(
                    List.of("aten::log_softmax"),
                    p.graph().rootCall().nodes().stream().map(Node::kind).toList());
        }
    }

    private static List<String> names(List<Value> values) {
        return values.stream().map(Value::name).toList();
    }
}
