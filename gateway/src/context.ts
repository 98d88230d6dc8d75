import type { MemberIdentity } from './auth/authenticator.js';

export interface GatewayContext {
  /** Absent only for the gateway's own requests (e.g. health checks). */
  identity?: MemberIdentity;
  requestId?: string;
}
