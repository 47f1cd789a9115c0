/** The benchmarks' merchant token: the protocol document's public test token, never a real one. */
export const BENCH_TOKEN = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6';
