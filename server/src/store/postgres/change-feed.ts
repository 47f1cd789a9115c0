import pg from 'pg';

/** Options for {@link PgChangeFeed.start}. */
export interface PgChangeFeedOptions {
  readonly connectionString: string;
  /** The NOTIFY channel to LISTEN on. */
  readonly channel: string;
  /** Called with each notification's payload. */
  readonly onPayload: (payload: string) => void;
  /**
   * Called when changes may have gone unheard: at once when the connection drops, then every
   * `fallbackPollMs` until it is back, and once more when it is (NOTIFYs sent meanwhile are
   * lost). Listeners re-read the store.
   */
  readonly onMissed: () => void;
  readonly fallbackPollMs: number;
  /** The first wait before reconnecting; doubled up to 5 s. Default 100 ms. */
  readonly reconnectMs?: number;
}

/**
 * A dedicated connection LISTENing for other instances' changes, reconnected whenever it
 * drops (a restarted database, a killed backend, a network cut). Pooled connections cannot
 * LISTEN: a pool hands them back and forth.
 */
export class PgChangeFeed {
  readonly #options: PgChangeFeedOptions;
  #client: pg.Client | undefined;
  #stopped = false;
  #fallback: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;

  private constructor(options: PgChangeFeedOptions) {
    this.#options = options;
  }

  /** Connects and LISTENs; rejects if the first connection fails (the database is unreachable). */
  static async start(options: PgChangeFeedOptions): Promise<PgChangeFeed> {
    const feed = new PgChangeFeed(options);
    await feed.#connect();
    return feed;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#fallback);
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => {});
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.#options.connectionString,
      application_name: 'igepay-listen',
    });
    client.on('notification', (message) => {
      if (message.channel === this.#options.channel && message.payload)
        this.#options.onPayload(message.payload);
    });
    let lost = false;
    const onLost = () => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => {});
      if (this.#client === client) this.#client = undefined;
      if (!this.#stopped) this.#lost();
    };
    client.on('error', onLost);
    client.on('end', onLost);
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(this.#options.channel)}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => {});
      throw error;
    }
    this.#client = client;
  }

  #lost(): void {
    this.#options.onMissed();
    clearInterval(this.#fallback);
    this.#fallback = setInterval(() => this.#options.onMissed(), this.#options.fallbackPollMs);
    this.#fallback.unref();
    this.#reconnect(this.#options.reconnectMs ?? 100);
  }

  #reconnect(delayMs: number): void {
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      if (this.#stopped) return;
      this.#connect().then(
        () => {
          clearInterval(this.#fallback);
          this.#fallback = undefined;
          // What was announced while nobody listened is lost: one more re-read covers it.
          this.#options.onMissed();
        },
        () => this.#reconnect(Math.min(delayMs * 2, 5000)),
      );
    }, delayMs);
    this.#retry.unref();
  }
}
