package org.torch2nnef.export;

/** A node needs a tract extension while {@code --nnef-spec-strict} asks for standard NNEF only. */
public final class StrictModeException extends TranslationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param extension the tract extension (operation or {@code tract_symbol}) that would be needed
     * @param why what it would be needed for
     */
    public StrictModeException(String extension, String why) {
        super(
                "needs the tract extension "
                        + extension
                        + " ("
                        + why
                        + "), refused by --nnef-spec-strict");
    }
}
