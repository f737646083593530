package org.torch2nnef.check.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.compare.Approximation;
import org.torch2nnef.check.compare.OutputComparison;
import org.torch2nnef.check.compare.TensorComparator;
import org.torch2nnef.nnef.contract.DType;
import org.torch2nnef.nnef.contract.HostTensor;
import org.torch2nnef.nnef.contract.Npz;
import org.torch2nnef.nnef.contract.TensorBundle;

/**
 * tiny_tuple.pt and its inputs and outputs come from torch 1.13 (make_fixtures.py); libtorch here
 * is DJL's, so outputs are compared at tract's "close" level, not bit for bit.
 */
class TorchReferenceTest {
    private static final List<String> OUTPUTS = List.of("out_relu", "out_sum");
    @TempDir Path tmp;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TorchReferenceTest.class.getResource("/" + name).toURI());
    }

    @Test
    void reproducesTorchOutputsOfATupleReturningModel() throws Exception {
        Path npz = resource("tiny_tuple_io.npz");
        List<HostTensor> inputs = TorchReferenceRequest.inputsFromNpz(npz, List.of("x", "y"));
        TorchReferenceResult r =
                TorchReference.run(
                        new TorchReferenceRequest(resource("tiny_tuple.pt"), inputs, OUTPUTS));

        assertEquals(List.of("x", "y", "out_relu", "out_sum"), r.io().names());
        assertEquals(OUTPUTS, r.outputNames());
        assertTrue(r.libtorchVersion().startsWith("2."), r.libtorchVersion());
        TensorBundle torch = Npz.read(npz);
        for (OutputComparison c :
                TensorComparator.compareOutputs(torch, r.io(), OUTPUTS, Approximation.CLOSE)) {
            assertTrue(c.passed(), c.toString());
        }
        // The io bundle survives the npz round trip unchanged.
        Path io = tmp.resolve("io.npz");
        Npz.write(r.io(), io);
        TensorBundle back = Npz.read(io);
        for (HostTensor t : r.io().tensors()) {
            assertEquals(t.data(), back.get(t.name()).data(), t.name());
        }
    }

    /** Outputs nested as (a, [b, c]) come out flattened depth-first, int64 kept as int64. */
    @Test
    void flattensNestedTupleAndListOutputs() throws Exception {
        Path npz = resource("nested_outputs_io.npz");
        List<String> outputs = List.of("doubled", "plus", "minus");
        TorchReferenceResult r =
                TorchReference.run(
                        new TorchReferenceRequest(
                                resource("nested_outputs.pt"),
                                TorchReferenceRequest.inputsFromNpz(npz, List.of("v")),
                                outputs));
        assertEquals(DType.I64, r.outputs().get(2).dtype());
        for (OutputComparison c :
                TensorComparator.compareOutputs(
                        Npz.read(npz), r.io(), outputs, Approximation.EXACT)) {
            assertTrue(c.passed(), c.toString());
        }
    }

    @Test
    void seededInputsAreReproducibleAndGiveReproducibleOutputs() throws Exception {
        List<InputSpec> specs = List.of(InputSpec.parse("x=2,4"), InputSpec.parse("y=2,3:f32"));
        TensorBundle a = SeededInputs.generate(specs, 42);
        TensorBundle b = SeededInputs.generate(specs, 42);
        TensorBundle c = SeededInputs.generate(specs, 43);
        for (String n : List.of("x", "y")) {
            assertEquals(a.get(n).data(), b.get(n).data());
            assertNotEquals(a.get(n).data(), c.get(n).data());
        }
        assertArrayEquals(new long[] {2, 4}, a.get("x").shape());
        TorchReferenceResult r1 =
                TorchReference.run(
                        new TorchReferenceRequest(
                                resource("tiny_tuple.pt"), List.copyOf(a.tensors()), List.of()));
        TorchReferenceResult r2 =
                TorchReference.run(
                        new TorchReferenceRequest(
                                resource("tiny_tuple.pt"), List.copyOf(b.tensors()), List.of()));
        assertEquals(List.of("output_0", "output_1"), r1.outputNames());
        for (int i = 0; i < 2; i++) {
            assertEquals(r1.outputs().get(i).data(), r2.outputs().get(i).data());
        }
        assertArrayEquals(new long[] {2}, r1.outputs().get(1).shape());
    }

    @Test
    void seededValuesStayInTheirDocumentedRanges() {
        TensorBundle t =
                SeededInputs.generate(
                        List.of(
                                InputSpec.parse("f=1000:f16"),
                                InputSpec.parse("i=1000:i64"),
                                InputSpec.parse("b=1000:bool")),
                        1);
        for (int i = 0; i < 1000; i++) {
            double f = t.get("f").getDouble(i);
            assertTrue(f >= -1 && f <= 1, "f16 " + f);
            double v = t.get("i").getDouble(i);
            assertTrue(v >= 0 && v < 10 && v == Math.rint(v), "i64 " + v);
            double bool = t.get("b").getDouble(i);
            assertTrue(bool == 0 || bool == 1);
        }
        assertEquals(DType.BOOL, t.get("b").dtype());
    }

    @Test
    void badRequestsNameTheProblem() throws Exception {
        List<HostTensor> inputs =
                TorchReferenceRequest.inputsFromNpz(
                        resource("tiny_tuple_io.npz"), List.of("x", "y"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TorchReference.run(
                                        new TorchReferenceRequest(
                                                resource("tiny_tuple.pt"),
                                                inputs,
                                                List.of("only_one"))));
        assertTrue(e.getMessage().contains("returns 2 tensors but 1 output names"), e.getMessage());

        Path notAModel = tmp.resolve("junk.pt");
        Files.writeString(notAModel, "junk");
        IOException io =
                assertThrows(
                        IOException.class,
                        () ->
                                TorchReference.run(
                                        new TorchReferenceRequest(notAModel, inputs, List.of())));
        assertTrue(
                io.getMessage().startsWith(notAModel + ": libtorch cannot load"), io.getMessage());

        io =
                assertThrows(
                        IOException.class,
                        () ->
                                TorchReference.run(
                                        new TorchReferenceRequest(
                                                resource("tiny_tuple.pt"),
                                                inputs.subList(0, 1),
                                                List.of())));
        assertTrue(io.getMessage().contains("forward failed"), io.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> InputSpec.parse("x=2:q8"));
        assertTrue(e.getMessage().contains("input spec 'x=2:q8'"), e.getMessage());
    }
}
