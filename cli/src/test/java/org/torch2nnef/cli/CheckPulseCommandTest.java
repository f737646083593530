package org.torch2nnef.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check --pulse S=N} refuses what cannot stream before looking for tract: a malformed pulse,
 * the reference interpreter, a symbol no input has, and a model with an input that has no streaming
 * axis (FiLM's conditioning vector, samples/film-plugin).
 */
class CheckPulseCommandTest {
    @TempDir Path tmp;

    private static String path(String relative) {
        return Path.of("..", relative).toAbsolutePath().normalize().toString();
    }

    private String exportFilm() {
        String out = tmp.resolve("film.nnef.tgz").toString();
        CommandRun r =
                CommandRun.run(
                        "export",
                        path("samples/film-plugin/example/film.pt"),
                        "--input",
                        "x=1,2,6",
                        "--input",
                        "z=1,3",
                        "--dynamic-axes",
                        "x:2=T",
                        "-o",
                        out);
        assertEquals(0, r.exit(), r.out() + r.err());
        return out;
    }

    @Test
    void aConditioningVectorWithoutTheStreamingAxisIsAnInputErrorThatSaysWhy() {
        String film = exportFilm();
        CommandRun r =
                CommandRun.run(
                        "check",
                        path("samples/film-plugin/example/film.pt"),
                        film,
                        "--pulse",
                        "T=4");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("--pulse T=4: input 'z' [1, 3] has no axis along T."), r.out());
        assertTrue(r.out().contains("a conditioning vector as in FiLM"), r.out());
    }

    @Test
    void malformedPulsesTheReferenceCheckerAndUnknownSymbolsAreUsageErrors() {
        String film = exportFilm();
        String pt = path("samples/film-plugin/example/film.pt");
        CommandRun r = CommandRun.run("check", pt, film, "--pulse", "time=4");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("expected SYMBOL=SIZE"), r.err());
        r = CommandRun.run("check", pt, film, "--pulse", "T=0");
        assertEquals(2, r.exit(), r.out() + r.err());
        r = CommandRun.run("check", pt, film, "--pulse", "T=4", "--checker", "reference");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("--pulse needs tract"), r.out());
        r = CommandRun.run("check", pt, film, "--pulse", "S=4");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(
                r.out().contains("no input of the model has a size S; its symbols are T"), r.out());
    }
}
