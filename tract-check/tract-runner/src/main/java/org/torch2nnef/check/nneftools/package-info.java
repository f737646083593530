/**
 * The Khronos checker ({@code --checker nnef-tools}): runs NNEF-Tools' C++ reference runtime,
 * {@code nnef-infer}, on a {@code --nnef-spec-strict} export and compares its outputs with torch's.
 * nnef-infer is built by hand from KhronosGroup/NNEF-Tools and never shipped with us.
 */
package org.torch2nnef.check.nneftools;
