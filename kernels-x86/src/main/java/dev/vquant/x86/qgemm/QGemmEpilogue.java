package dev.vquant.x86.qgemm;

/** What the int8 GEMM drivers write: raw int32 accumulators, requantized quint8, or float32. */
enum QGemmEpilogue { INT32, REQUANTIZE, FLOAT }
