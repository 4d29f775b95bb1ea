/** The training loop: phases, listeners, checkpoints, resume. */
package io.deepclust.train;
