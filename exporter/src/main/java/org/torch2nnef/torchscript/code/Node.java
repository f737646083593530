package org.torch2nnef.torchscript.code;

/** Anything in the AST: every node knows where its text starts. */
public interface Node {

    /** Where this node's text starts. */
    SourcePos pos();
}
