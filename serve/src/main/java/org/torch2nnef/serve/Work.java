package org.torch2nnef.serve;

import java.nio.file.Path;

/** The body of one job: runs in a worker thread and says how it ended. */
interface Work {
    /**
     * Runs the job.
     *
     * @param files where the results go ({@link Outcome#ARTIFACT}, ...); an empty folder
     * @param stages told each time the job moves on
     * @return how it ended; never throws for bad input (that is an outcome)
     */
    Outcome run(Path files, StageListener stages);

    /** Told of each stage a job enters. */
    @FunctionalInterface
    interface StageListener {
        void enter(Stage stage);
    }
}
