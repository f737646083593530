/** Debug bundles: everything needed to reproduce a failed check. */
package org.torch2nnef.check.debug;
