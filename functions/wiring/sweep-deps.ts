import type { SweepDeps } from '../use-cases/sweep';
import { accountDeps } from './account-deps';
import { config } from './config';

if (!config.baseUrl) throw new Error('BASE_URL is required by the sweep: its emails carry links, and no request names a host');

/** The sweep's ports: the account store, sponsors' records and the notifier that checks suppression. */
export const sweepDeps: SweepDeps = { ...accountDeps, baseUrl: config.baseUrl };
