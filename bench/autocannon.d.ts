/** The part of autocannon 8's programmatic API the benchmark uses (the package ships no types). */
declare module 'autocannon' {
  export type AutocannonRequest = {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    /** Called before every request is sent; returns the request to send. */
    setupRequest?: (request: AutocannonRequest, context: Record<string, unknown>) => AutocannonRequest;
    onResponse?: (
      status: number,
      body: string,
      context: Record<string, unknown>,
      headers: Record<string, string | string[]>,
    ) => void;
  };

  export type AutocannonOptions = {
    url: string;
    connections?: number;
    /** Stop after this many requests (instead of after `duration` seconds). */
    amount?: number;
    duration?: number;
    /** Requests per second over all connections (a fixed rate, not as fast as possible). */
    overallRate?: number;
    /** Seconds before a request counts as timed out. */
    timeout?: number;
    pipelining?: number;
    requests?: AutocannonRequest[];
  };

  export type Histogram = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    total: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
  };

  export type AutocannonResult = {
    /** Seconds, from the first request to the end. */
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    latency: Histogram & { totalCount: number };
    requests: Histogram & { sent: number };
  };

  export type Instance = PromiseLike<AutocannonResult> & { stop(): void };

  export default function autocannon(options: AutocannonOptions): Instance;
}
