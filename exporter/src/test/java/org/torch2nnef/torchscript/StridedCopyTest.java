package org.torch2nnef.torchscript;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page-cache path normally serves only gathers spanning more than 64 MiB; tiny limits push the
 * sample views through it. {@link TorchTensor#writeTo} is checked against libtorch in {@link
 * DjlParityTest}, so it is the reference here.
 */
class StridedCopyTest {

    @Test
    void pageCacheGivesTheSameBytesAsTheWindow() throws Exception {
        int gathered = 0;
        for (String name : List.of("strided_views", "dtypes", "lstm", "nested")) {
            try (TorchScriptArchive archive = TorchScriptArchive.open(Samples.torch1(name))) {
                for (Map.Entry<String, TorchTensor> e : archive.root().namedTensors().entrySet()) {
                    TorchTensor t = e.getValue();
                    for (int page : new int[] {16, 32, 48}) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        new StridedCopy(t, 2L * page, page).writeTo(out);
                        assertArrayEquals(
                                t.toByteArray(),
                                out.toByteArray(),
                                name + "." + e.getKey() + " page " + page);
                    }
                    gathered += t.isContiguous() ? 0 : 1;
                }
            }
        }
        assertEquals(3, gathered, "strided_views gathers weight_t, b and every_other");
    }

    @Test
    void collapseMergesChainedDimensionsAndDropsOnes() {
        // shape (2, 1, 3, 4) contiguous: strides (12, 12, 4, 1) -> one run of 24
        List<long[]> dims =
                StridedCopy.collapse(new long[] {2, 1, 3, 4}, new long[] {12, 12, 4, 1});
        assertEquals(1, dims.size());
        assertArrayEquals(new long[] {24, 1}, dims.get(0));
        // transposed (4, 6) with strides (1, 4): nothing merges
        dims = StridedCopy.collapse(new long[] {4, 6}, new long[] {1, 4});
        assertEquals(2, dims.size());
        assertTrue(StridedCopy.collapse(new long[] {1, 1}, new long[] {5, 7}).isEmpty());
    }
}
