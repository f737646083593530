package org.torch2nnef.pt2;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.torch2nnef.graph.Value;
import org.torch2nnef.torchscript.TorchTensor;

/**
 * The program's graph signature: which placeholders are the user's inputs and which are parameters,
 * buffers and constants (with their state-dict names and stored tensors), and that every output is
 * a user output (a program that mutates buffers, e.g. a BatchNorm exported in train mode, is
 * refused).
 *
 * @param userInputs the user inputs' placeholder names, in forward order
 * @param states the placeholders standing for stored tensors
 */
record ProgramSignature(List<String> userInputs, List<State> states) {

    /**
     * A placeholder standing for a stored tensor.
     *
     * @param placeholder e.g. {@code p_0_weight}
     * @param stateName e.g. {@code 0.weight}
     * @param origin parameter, buffer or constant
     * @param tensor its stored tensor
     */
    record State(String placeholder, String stateName, Value.Origin origin, TorchTensor tensor) {}

    static ProgramSignature read(ProgramArchive archive) throws ProgramFormatException {
        String where = archive.programLocation();
        JsonNode signature =
                JsonFields.object(
                        JsonFields.object(archive.program(), "graph_module", where),
                        "signature",
                        where);
        List<String> user = new ArrayList<>();
        List<State> states = new ArrayList<>();
        for (JsonNode spec : JsonFields.array(signature, "input_specs", where)) {
            Map.Entry<String, JsonNode> u = JsonFields.union(spec, where + " input_specs");
            JsonNode s = u.getValue();
            String at = where + " input spec " + u.getKey();
            switch (u.getKey()) {
                case "user_input" -> {
                    Map.Entry<String, JsonNode> arg =
                            JsonFields.union(JsonFields.field(s, "arg", at), at);
                    if (!arg.getKey().equals("as_tensor")) {
                        throw new ProgramFormatException(
                                at
                                        + ": a user input of kind '"
                                        + arg.getKey()
                                        + "'; only tensor inputs are exported");
                    }
                    user.add(JsonFields.text(arg.getValue(), "name", at));
                }
                case "parameter" ->
                        states.add(state(archive, s, "parameter_name", Value.Origin.PARAMETER, at));
                case "buffer" ->
                        states.add(state(archive, s, "buffer_name", Value.Origin.BUFFER, at));
                case "tensor_constant" ->
                        states.add(
                                state(
                                        archive,
                                        s,
                                        "tensor_constant_name",
                                        Value.Origin.CONSTANT,
                                        at));
                default ->
                        throw new ProgramFormatException(
                                at + ": inputs of kind '" + u.getKey() + "' are not supported");
            }
        }
        for (JsonNode spec : JsonFields.array(signature, "output_specs", where)) {
            String kind = JsonFields.union(spec, where + " output_specs").getKey();
            if (!kind.equals("user_output")) {
                throw new ProgramFormatException(
                        where
                                + ": an output of kind '"
                                + kind
                                + "' (the program mutates state: export it in eval mode"
                                + " under torch.no_grad())");
            }
        }
        return new ProgramSignature(user, states);
    }

    private static State state(
            ProgramArchive archive, JsonNode spec, String nameField, Value.Origin origin, String at)
            throws ProgramFormatException {
        String placeholder = JsonFields.text(JsonFields.field(spec, "arg", at), "name", at);
        String stateName = JsonFields.text(spec, nameField, at);
        TorchTensor t =
                archive.weight(stateName)
                        .or(() -> archive.constant(stateName))
                        .orElseThrow(
                                () ->
                                        new ProgramFormatException(
                                                at
                                                        + " '"
                                                        + stateName
                                                        + "': the archive stores no such tensor"));
        return new State(placeholder, stateName, origin, t);
    }
}
