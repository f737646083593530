package org.torch2nnef.export;

import java.util.List;

/** Every node of a model that could not be translated, reported at once. */
public final class UnsupportedOpsException extends ExportException {
    private static final long serialVersionUID = 1L;
    private final transient List<OpProblem> problems;

    /**
     * @param problems the untranslatable nodes, in graph order (at least one)
     */
    public UnsupportedOpsException(List<OpProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    private static String message(List<OpProblem> problems) {
        StringBuilder sb = new StringBuilder();
        sb.append(problems.size())
                .append(problems.size() == 1 ? " node" : " nodes")
                .append(" cannot be exported to NNEF:");
        for (OpProblem p : problems) {
            sb.append("\n  ").append(p.describe());
        }
        return sb.toString();
    }

    /**
     * @return the untranslatable nodes, in graph order
     */
    public List<OpProblem> problems() {
        return problems;
    }
}
