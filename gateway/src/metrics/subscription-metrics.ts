import { gauge } from '@uif/metrics';

const active = gauge({
  name: 'uif_subscriptions_active',
  help: 'GraphQL subscriptions open on this gateway',
});

/** Counts one subscription as open; call the function it returns once, when the subscription ends. */
export function subscriptionStarted(): () => void {
  active.inc();
  return () => active.dec();
}
