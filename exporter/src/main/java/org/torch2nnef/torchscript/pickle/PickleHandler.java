package org.torch2nnef.torchscript.pickle;

import java.util.List;

/**
 * Gives meaning to the opcodes of a pickle that reach outside plain data. The unpickler itself
 * never instantiates anything: every global, call and object construction goes through here, so an
 * implementation decides exactly what a stream may build. Throw {@link PickleException} to refuse;
 * the unpickler adds the stream name and byte offset to the message.
 */
public interface PickleHandler {

    /**
     * Resolves a {@code GLOBAL} / {@code STACK_GLOBAL} reference.
     *
     * @param module the module part, e.g. {@code torch._utils}
     * @param name the attribute name, e.g. {@code _rebuild_tensor_v2}
     * @return an opaque token later passed to {@link #call}, {@link #newObject} or used as a value
     * @throws PickleException if the global is not allowed
     */
    Object resolveGlobal(String module, String name) throws PickleException;

    /**
     * Resolves a persistent id ({@code PERSID} / {@code BINPERSID}).
     *
     * @param pid the id value
     * @return the referenced object
     * @throws PickleException if the id is malformed or refers to nothing
     */
    Object persistentLoad(Object pid) throws PickleException;

    /**
     * Applies {@code REDUCE}: calls {@code callable} with {@code args}.
     *
     * @param callable a value produced by {@link #resolveGlobal}
     * @param args the argument tuple
     * @return the result
     * @throws PickleException if the call is not allowed or the arguments are malformed
     */
    Object call(Object callable, List<Object> args) throws PickleException;

    /**
     * Applies {@code NEWOBJ}: {@code cls.__new__(cls, *args)}.
     *
     * @param cls a value produced by {@link #resolveGlobal}
     * @param args the argument tuple
     * @return the new, not yet built object
     * @throws PickleException if the class cannot be instantiated here
     */
    Object newObject(Object cls, List<Object> args) throws PickleException;

    /**
     * Applies {@code BUILD}: sets the state of an object.
     *
     * @param object the object on the stack
     * @param state the state (usually a dict of attributes)
     * @throws PickleException if the object takes no state
     */
    void build(Object object, Object state) throws PickleException;
}
