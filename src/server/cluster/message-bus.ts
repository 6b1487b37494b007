/** Messages from one node of a cluster to the others (never back to itself). */
export interface MessageBus<M> {
  publish(message: M): Promise<void>;
  /** One handler per bus; messages published before it subscribed are not replayed. */
  subscribe(handler: (message: M) => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}
