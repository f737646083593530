package org.torch2nnef.nnef.model;

/** NNEF primitive type names, as used in type specs, {@code tensor<…>} and generic arguments. */
public enum TypeName {
    INTEGER("integer"),
    SCALAR("scalar"),
    LOGICAL("logical"),
    STRING("string"),
    /** The generic placeholder {@code ?}. */
    ANY("?");

    private final String nnefName;

    TypeName(String nnefName) {
        this.nnefName = nnefName;
    }

    /** The spelling in NNEF text. */
    public String nnefName() {
        return nnefName;
    }

    /** The type name spelled {@code text}, or {@code null} when {@code text} is not a type name. */
    public static TypeName fromNnefName(String text) {
        for (TypeName t : values()) {
            if (t.nnefName.equals(text)) {
                return t;
            }
        }
        return null;
    }
}
