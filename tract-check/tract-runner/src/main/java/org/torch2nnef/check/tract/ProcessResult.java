package org.torch2nnef.check.tract;

/**
 * What a finished (or killed) child process did.
 *
 * @param exitCode exit status; -1 when it timed out and was killed
 * @param output stdout and stderr interleaved as printed
 * @param timedOut whether the timeout killed it
 */
public record ProcessResult(int exitCode, String output, boolean timedOut) {}
