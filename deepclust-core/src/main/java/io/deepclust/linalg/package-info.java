/** Dense row-major float matrices shared by every stage; no DJL dependency. */
package io.deepclust.linalg;
