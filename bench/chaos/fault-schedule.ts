import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '#local/simulators/shared/random';
import { callJson } from '../../test/support/http.ts';
import type { ConsumerFleet } from './consumer-fleet.ts';
import type { GreenhouseProxy } from './greenhouse-proxy.ts';

/**
 * What goes wrong during a chaos run, besides the steady share of 5xx both simulators answer:
 *
 * - 429 storms: every `stormEveryMs`, for `stormMs`, Greenhouse's limit drops to a twentieth and
 *   Beamery's to 1 per second, and each answers a burst of six API calls (Beamery: reads of a
 *   contact) with 429 in a row;
 * - lost answers: Beamery does a contact create, update or vacancy move and answers 503 (one scripted
 *   at a time, every `lostAnswerEveryMs`); Greenhouse's writes lose theirs through the proxy;
 * - crashes: every `killEveryMs` (±50 %, never within `killGapMs` of the last) one consumer process
 *   is killed with SIGKILL while it holds a batch, and a new one starts a moment later.
 */
export interface FaultScheduleOptions {
  readonly stormEveryMs: number;
  readonly stormMs: number;
  readonly lostAnswerEveryMs: number;
  readonly killEveryMs: number;
  /**
   * The least time between two kills: a killed batch's messages come back only after the visibility
   * timeout, and a kill on every retry would keep its groups from ever moving, which no Lambda fleet does.
   */
  readonly killGapMs: number;
  readonly greenhouseLimit: number;
  readonly beameryLimit: number;
  readonly seed: number;
}

export interface FaultStats {
  storms: number;
  /** Beamery writes done whose answer was replaced by a 503. */
  beameryLostAnswers: number;
}

/** 429s in a row per storm and API: more than the five that used to dead-letter a healthy update. */
const BURST = 6;

const LOSABLE_BEAMERY_WRITES = [
  { method: 'POST', path: '/v1/contact' },
  { method: 'PATCH', path: '/v1/contact/:id' },
  { method: 'PUT', path: '/v1/contact/:id/vacancies/:vacancyId' },
] as const;

export interface FaultSchedule {
  readonly stats: FaultStats;
  /** Ends storms, scripted answers, lost answers and kills (the steady 5xx stay). */
  stop(): Promise<void>;
}

export function startFaultSchedule(
  targets: { readonly greenhouse: string; readonly beameryOrigin: string; readonly proxy: GreenhouseProxy; readonly fleet: ConsumerFleet },
  options: FaultScheduleOptions,
): FaultSchedule {
  const random = seededRandom(options.seed);
  const stats: FaultStats = { storms: 0, beameryLostAnswers: 0 };
  const stopping = new AbortController();
  const wait = (ms: number) => sleep(ms, undefined, { signal: stopping.signal }).then(
    () => true,
    () => false,
  );
  const greenhouseAdmin = (method: string, path: string, body?: unknown) => callJson(targets.greenhouse, method, `/_admin${path}`, body);
  const beameryAdmin = (method: string, path: string, body?: unknown) => callJson(targets.beameryOrigin, method, `/_admin${path}`, body);
  let scripted = 0;

  const restoreLimits = () =>
    Promise.all([
      greenhouseAdmin('PUT', '/rate-limit', { limit: options.greenhouseLimit }),
      beameryAdmin('PATCH', '/settings', { rateLimit: { perSecond: options.beameryLimit } }),
    ]);

  async function storms(): Promise<void> {
    while (await wait(options.stormEveryMs)) {
      stats.storms++;
      await greenhouseAdmin('PUT', '/rate-limit', { limit: Math.max(5, Math.floor(options.greenhouseLimit / 20)) });
      await beameryAdmin('PATCH', '/settings', { rateLimit: { perSecond: 1 } });
      // And bursts of 429s in a row, whatever the limits say; never more than one burst waiting, so
      // they do not pile up for a quiet queue to meet all at once.
      targets.proxy.tooManyRequests = BURST;
      const pending = (await beameryAdmin('GET', '/overrides')) as { when: string }[];
      if (!pending.some((o) => o.when === 'before')) await beameryAdmin('POST', '/overrides', { method: 'GET', path: '/v1/contact/:id', status: 429, times: BURST });
      await wait(options.stormMs);
      await restoreLimits();
    }
  }

  async function lostAnswers(): Promise<void> {
    while (await wait(options.lostAnswerEveryMs)) {
      const pending = (await beameryAdmin('GET', '/overrides')) as { when: string }[];
      stats.beameryLostAnswers = scripted - pending.filter((o) => o.when === 'after').length;
      if (pending.some((o) => o.when === 'after')) continue;
      const write = LOSABLE_BEAMERY_WRITES[Math.floor(random() * LOSABLE_BEAMERY_WRITES.length)]!;
      await beameryAdmin('POST', '/overrides', { ...write, when: 'after', status: 503, times: 1 });
      scripted++;
    }
  }

  async function kills(): Promise<void> {
    while (await wait(Math.max(options.killGapMs, options.killEveryMs * (0.5 + random())))) {
      await targets.fleet.killOne(Math.floor(random() * 1_000), 5_000, 250 + random() * 1_500);
    }
  }

  const loops = [storms(), lostAnswers(), kills()];
  return {
    stats,
    async stop() {
      stopping.abort();
      await Promise.all(loops);
      const pending = (await beameryAdmin('GET', '/overrides')) as { when: string }[];
      stats.beameryLostAnswers = scripted - pending.filter((o) => o.when === 'after').length;
      await beameryAdmin('DELETE', '/overrides');
      targets.proxy.lossRate = 0;
      targets.proxy.tooManyRequests = 0;
      await restoreLimits();
    },
  };
}
