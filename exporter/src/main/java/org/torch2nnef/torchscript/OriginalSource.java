package org.torch2nnef.torchscript;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where generated TorchScript code came from in the Python source.
 *
 * @param file the original file name as recorded by torch (absolute path at trace time); for traced
 *     code the innermost frame's file, often torch's own {@code functional.py}
 * @param line the 1-based line in {@code file}
 * @param text the recorded source range text: for traced models the Python stack at trace time
 *     (innermost frame first, one {@code file(line): function} per line, see {@link #frames()}),
 *     for scripted ones the expression's source
 */
public record OriginalSource(String file, int line, String text) {
    private static final Pattern FRAME = Pattern.compile("^(.+)\\((\\d+)\\): (\\S+)$");

    /**
     * One frame of a traced call stack.
     *
     * @param file the source file
     * @param line the 1-based line
     * @param function the function name
     */
    public record Frame(String file, int line, String function) {}

    /**
     * @return the call stack recorded for traced code, innermost first (empty when {@link #text()}
     *     is not a stack, e.g. for scripted code)
     */
    public List<Frame> frames() {
        List<Frame> frames = new ArrayList<>();
        for (String l : text.split("\n")) {
            Matcher m = FRAME.matcher(l);
            if (!m.matches()) {
                return frames.isEmpty() ? List.of() : frames;
            }
            frames.add(new Frame(m.group(1), Integer.parseInt(m.group(2)), m.group(3)));
        }
        return frames;
    }
}
