/**
 * Stands in for `@aws-sdk/endpoint-cache` in the function bundles (an esbuild alias set by
 * infra/constructs/lambda-function.ts). The DynamoDB client builds one of these caches for endpoint
 * discovery whether discovery is on or not (it is off unless AWS_ENABLE_ENDPOINT_DISCOVERY says so),
 * and the original keeps it in mnemonist's LRU cache: a CommonJS package with its iterator helpers,
 * 7 KiB of every DynamoDB function's bundle and typed arrays for 1,000 entries allocated at every
 * cold start. This is the same class over a Map, which keeps insertion order, so the least recently
 * used key is the first one: the same behaviour (capacity, expiry, placeholders), without them.
 */

type Endpoint = { Address?: string; CachePeriodInMinutes?: number };
export type EndpointWithExpiry = { Address: string; Expires: number };

export class EndpointCache {
  private readonly cache = new Map<string, EndpointWithExpiry[]>();

  constructor(private readonly capacity: number) {}

  /** An unexpired endpoint for the key, chosen at random among them. */
  getEndpoint(key: string): string | undefined {
    const endpoints = this.get(key);
    if (!endpoints || endpoints.length === 0) return undefined;
    return endpoints[Math.floor(Math.random() * endpoints.length)]?.Address;
  }

  /** The unexpired endpoints of the key (the key becomes the most recently used). */
  get(key: string): EndpointWithExpiry[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.cache.get(key) as EndpointWithExpiry[];
    this.touch(key, value);
    const now = Date.now();
    const unexpired = value.filter((endpoint) => now < endpoint.Expires);
    if (unexpired.length === 0) {
      this.delete(key);
      return undefined;
    }
    return unexpired;
  }

  set(key: string, endpoints: Endpoint[]): void {
    const now = Date.now();
    this.touch(
      key,
      endpoints.map(({ Address, CachePeriodInMinutes }) => ({
        Address: Address as string,
        Expires: now + (CachePeriodInMinutes as number) * 60 * 1000,
      })),
    );
  }

  delete(key: string): void {
    this.touch(key, []);
  }

  /** Whether the key holds endpoints; does not change the order, as mnemonist's `peek`. */
  has(key: string): boolean {
    return (this.cache.get(key)?.length ?? 0) > 0;
  }

  clear(): void {
    this.cache.clear();
  }

  /** Stores the value as the most recently used, evicting the least recently used over capacity. */
  private touch(key: string, value: EndpointWithExpiry[]) {
    this.cache.delete(key);
    this.cache.set(key, value);
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
