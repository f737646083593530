package org.torch2nnef.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.torch2nnef.check.CheckerMode;

/** {@code expected.json}: its forms, what meets an expectation, and malformed values. */
class ZooExpectationsTest {
    @TempDir Path tmp;

    private ZooExpectations read(String json) throws IOException {
        Files.writeString(tmp.resolve(ZooExpectations.FILE), json);
        return ZooExpectations.read(tmp);
    }

    @Test
    void aStringAppliesToEveryCheckerAndAnObjectPerChecker() throws IOException {
        ZooExpectations e =
                read(
                        """
        {"a": "pass", "b": "fail: export: no translator for aten::pad",
         "c": {"reference": "pass", "tract": "fail: tract check"}, "d": {"reference": "pass"}}
        """);
        assertEquals("pass", e.of("a").orElseThrow().of(CheckerMode.TRACT));
        assertEquals(
                "fail: export: no translator for aten::pad",
                e.of("b").orElseThrow().of(CheckerMode.REFERENCE));
        assertEquals("pass", e.of("c").orElseThrow().of(CheckerMode.REFERENCE));
        assertEquals("fail: tract check", e.of("c").orElseThrow().of(CheckerMode.TRACT));
        assertEquals("pass", e.of("d").orElseThrow().of(CheckerMode.TRACT));
        assertTrue(e.of("z").isEmpty());
    }

    @Test
    void passMeetsOnlyPassAndAFailureMeetsFailuresContainingItsReason() {
        assertTrue(ZooExpectations.meets("pass", "pass"));
        assertFalse(ZooExpectations.meets("fail: export: x", "pass"));
        assertFalse(ZooExpectations.meets("pass", "fail: export"));
        assertTrue(
                ZooExpectations.meets(
                        "fail: export: no translator for aten::pad, aten::zeros",
                        "fail: no translator for aten::pad"));
        assertFalse(
                ZooExpectations.meets(
                        "fail: export: no translator for aten::zeros",
                        "fail: no translator for aten::pad"));
        // a passing model whose expected reason happens to be "pass" is still a change
        assertFalse(ZooExpectations.meets("pass", "fail: pass"));
    }

    @Test
    void malformedValuesNameTheModel() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> read("{\"tcn\": \"fails\"}"));
        assertTrue(
                e.getMessage().contains("tcn") && e.getMessage().contains("\"fail: REASON\""),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("{\"tcn\": \"fail: \"}"));
        assertTrue(e.getMessage().contains("non-empty reason"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> read("{\"tcn\": {\"reference\": \"pass\", \"trakt\": \"pass\"}}"));
        assertTrue(e.getMessage().contains("unknown checker 'trakt'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("{\"tcn\": 3}"));
        assertTrue(e.getMessage().contains("tcn"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> read("[]"));
        assertTrue(e.getMessage().contains(ZooExpectations.FILE), e.getMessage());
    }
}
