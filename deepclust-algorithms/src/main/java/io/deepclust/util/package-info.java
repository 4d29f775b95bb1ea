/** Small shared utilities: atomic file writes, seeding, progress reporting, parallel loops. */
package io.deepclust.util;
