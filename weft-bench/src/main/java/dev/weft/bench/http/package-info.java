/**
 * The http suite ({@code weft bench http}): {@code weft serve} against nginx, Netty 4.2's HTTP
 * codec over io_uring and epoll, and Helidon SE 4, each server in processes of its own pinned
 * apart from wrk, the load generator. {@link dev.weft.bench.http.HttpSuite} describes the method,
 * {@link dev.weft.bench.http.HttpCase} the cases, {@link dev.weft.bench.http.HttpTargets} the
 * targets.

 */
package dev.weft.bench.http;
