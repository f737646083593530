package org.torch2nnef.pt2;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.torch2nnef.graph.SourceLocation;
import org.torch2nnef.torchscript.code.SourcePos;

/**
 * Where a program node came from: torch.export records each node's Python {@code stack_trace}
 * (outermost frame first, as a traceback prints it). The user's line is the innermost frame outside
 * torch's own package; when every frame is torch's (an {@code nn.Sequential} of torch modules), the
 * innermost one.
 */
final class StackTraces {
    private static final Pattern FRAME = Pattern.compile("File \"([^\"]+)\", line (\\d+)");
    private static final Pattern TORCH_FILE = Pattern.compile("(^|/)torch/");

    private StackTraces() {}

    /**
     * @param stackTrace the node's {@code stack_trace}, or null
     * @param nodeName the node's name, for nodes without one
     * @return the location errors cite
     */
    static SourceLocation locate(String stackTrace, String nodeName) {
        Optional<SourcePos> user = userFrame(stackTrace);
        return new SourceLocation(
                user.orElseGet(() -> new SourcePos("program node " + nodeName, 1, 1, 0)),
                Optional.empty());
    }

    /** The user's frame, if the trace has any frame. */
    static Optional<SourcePos> userFrame(String stackTrace) {
        if (stackTrace == null) {
            return Optional.empty();
        }
        List<SourcePos> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(stackTrace);
        while (m.find()) {
            int line;
            try {
                line = Math.max(1, Integer.parseInt(m.group(2)));
            } catch (NumberFormatException e) {
                continue; // a line number beyond int: not a frame we can cite
            }
            frames.add(new SourcePos(m.group(1), line, 1, 0));
        }
        for (int i = frames.size() - 1; i >= 0; i--) {
            if (!TORCH_FILE.matcher(frames.get(i).file()).find()) {
                return Optional.of(frames.get(i));
            }
        }
        return frames.isEmpty() ? Optional.empty() : Optional.of(frames.get(frames.size() - 1));
    }
}
