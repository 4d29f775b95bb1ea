/** Neural-network blocks on DJL, including an exact ConvTranspose2d for the PyTorch engine. */
package io.deepclust.nn;
