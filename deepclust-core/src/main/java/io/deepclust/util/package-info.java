/** Small shared utilities: atomic file writes, seeding, progress reporting. */
package io.deepclust.util;
