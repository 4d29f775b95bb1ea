/** Batched encoder inference into embedding matrices, and their export. */
package io.deepclust.embed;
