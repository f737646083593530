package org.torch2nnef.nnef.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TractReleaseTest {
    @Test
    void versionParsing() {
        assertEquals(
                new TractRelease(0, 21, 13), TractRelease.fromVersionOutput("tract 0.21.13\n"));
        assertTrue(new TractRelease(0, 22, 0).atLeast(new TractRelease(0, 21, 17)));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TractRelease.fromVersionOutput("tract dev"));
        assertTrue(e.getMessage().contains("'tract dev'"));
    }

    @Test
    void releasesAreWrittenAloneAndTheSupportedRangeIsEnforcedOnRequest() {
        assertEquals(new TractRelease(0, 21, 15), TractRelease.parse("v0.21.15"));
        assertEquals(new TractRelease(0, 19, 9), TractRelease.parse("0.19.9"));
        assertTrue(
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TractRelease.parseSupported("0.19.9"))
                        .getMessage()
                        .contains("oldest supported release 0.20.0"));
        assertThrows(IllegalArgumentException.class, () -> TractRelease.parse("tract 0.21.13"));
        assertTrue(TractRelease.NEWEST_SUPPORTED.atLeast(TractRelease.OLDEST_SUPPORTED));
    }
}
