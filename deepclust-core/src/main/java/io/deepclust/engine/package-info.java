/** The DJL engine: what it is and runs on, and tensor kernels that let heavy maths use it. */
package io.deepclust.engine;
