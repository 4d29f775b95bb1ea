/** Dense row-major float matrices and shared vector kernels for every stage; no DJL dependency. */
package io.deepclust.linalg;
