import type { Application } from '@nocobase/server';
import type { MessageBus } from './message-bus';

/** NocoBase's sync messages: across nodes only when the deployment configures a cluster-wide pub/sub adapter. */
export class NocoBaseMessageBus<M> implements MessageBus<M> {
  private handler: ((message: M) => Promise<void>) | null = null;

  constructor(
    private readonly app: Application,
    private readonly channel: string,
  ) {}

  async publish(message: M): Promise<void> {
    await this.app.syncMessageManager.publish(this.channel, message);
  }

  async subscribe(handler: (message: M) => void | Promise<void>): Promise<void> {
    this.handler = async (message: M) => void (await handler(message));
    await this.app.syncMessageManager.subscribe(this.channel, this.handler);
  }

  async close(): Promise<void> {
    if (this.handler) await this.app.syncMessageManager.unsubscribe(this.channel, this.handler);
    this.handler = null;
  }
}
