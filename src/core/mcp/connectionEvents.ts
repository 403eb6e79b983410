/** The events one server connection fires, disposed together. */
import { Emitter } from '../events';
import type { ConnectionState, ServerLogEvent, ToolProgressEvent } from './types';

export class ConnectionEvents {
  readonly status = new Emitter<ConnectionState>();
  readonly lists = new Emitter<void>();
  readonly progress = new Emitter<ToolProgressEvent>();
  readonly log = new Emitter<ServerLogEvent>();

  dispose(): void {
    for (const emitter of [this.status, this.lists, this.progress, this.log]) emitter.dispose();
  }
}
