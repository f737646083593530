package org.torch2nnef.check;

/** How a checker process killed by a signal is named: Java reports it as exit 128 + N. */
public final class Signals {
    /** Exit statuses above this are deaths by signal (status - 128). */
    public static final int EXIT_BASE = 128;

    private Signals() {}

    /** The signal's name (SIGSEGV), its number for uncommon ones. */
    public static String name(int signal) {
        return switch (signal) {
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 15 -> "SIGTERM";
            default -> String.valueOf(signal);
        };
    }
}
