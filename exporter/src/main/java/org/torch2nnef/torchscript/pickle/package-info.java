/**
 * A pickle decoder that never resolves classes by itself: all globals, calls, object construction
 * and persistent ids go through a {@link PickleHandler}, so the caller decides exactly what a
 * stream may build (Pyrolite's constructor registry is global and turns unknown globals into
 * dictionaries instead of refusing them).
 */
package org.torch2nnef.torchscript.pickle;
