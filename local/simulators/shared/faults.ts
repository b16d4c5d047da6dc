import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import type { Clock } from './clock.ts';
import { seededRandom } from './random.ts';

/**
 * Fault injection shared by both simulators: a share of requests answered 5xx, added latency, and
 * connections dropped without an answer (what a client sees as a network error). Set at start or
 * through the admin API (`PUT /_admin/faults`); admin routes are never faulted.
 */
export const faultSettingsSchema = z.object({
  serverErrorRate: z.number().min(0).max(1).default(0),
  dropRate: z.number().min(0).max(1).default(0),
  /** Simulated milliseconds added before every answer. */
  latencyMs: z.number().int().min(0).default(0),
  seed: z.number().int().default(1),
});
export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export const ADMIN_PREFIX = '/_admin';

export class Faults {
  private settings: FaultSettings;
  private random: () => number;

  constructor(settings: Partial<FaultSettings> = {}) {
    this.settings = faultSettingsSchema.parse(settings);
    this.random = seededRandom(this.settings.seed);
  }

  get current(): FaultSettings {
    return this.settings;
  }

  update(settings: Partial<FaultSettings>): FaultSettings {
    this.settings = faultSettingsSchema.parse({ ...this.settings, ...settings });
    this.random = seededRandom(this.settings.seed);
    return this.settings;
  }

  /** Registers the hook and the admin route on a simulator's server. */
  install(app: FastifyInstance, clock: Clock): void {
    app.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(ADMIN_PREFIX)) return;
      const { latencyMs, dropRate, serverErrorRate } = this.settings;
      if (latencyMs > 0) await clock.sleep(latencyMs);
      if (dropRate > 0 && this.random() < dropRate) {
        request.raw.socket.destroy();
        return reply.hijack();
      }
      if (serverErrorRate > 0 && this.random() < serverErrorRate) {
        return reply.code(503).send({ message: 'Service Unavailable (injected fault)' });
      }
    });
    app.get(`${ADMIN_PREFIX}/faults`, async () => this.settings);
    app.put(`${ADMIN_PREFIX}/faults`, async (request) => this.update(faultSettingsSchema.partial().parse(request.body)));
  }
}
