/**
 * The device suite's cases as code: {@link dev.weft.bench.device.workload.Workloads} opens a
 * fresh runner of one implementation per measurement, drives it, checks that every task ran, and
 * closes it. Loaded once per implementation (see {@code dev.weft.bench.device.ImplClassLoader}).
 */
package dev.weft.bench.device.workload;
