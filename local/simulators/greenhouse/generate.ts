import { seededRandom } from '../shared/random.ts';
import type { CandidateRecord, Iso } from './records.ts';
import type { GreenhouseState } from './state.ts';

/**
 * Bulk fictional candidates for volume tests (pagination over thousands of records), made straight
 * in the state: no webhooks, no rate limit. Names come from short made-up lists; every email is on
 * example.test, a reserved domain.
 */
const FIRST = ['Ada', 'Bram', 'Cleo', 'Dario', 'Esme', 'Finn', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lior', 'Mara', 'Nils', 'Oona', 'Pavel'];
const LAST = ['Alder', 'Birch', 'Cedar', 'Dogwood', 'Elm', 'Fir', 'Ginkgo', 'Hazel', 'Ivy', 'Juniper', 'Larch', 'Maple', 'Nutmeg', 'Oak', 'Pine'];

export interface GenerateOptions {
  readonly count: number;
  readonly seed?: number;
  /** Spreads created_at/updated_at over this many seconds before `now` (newest id = newest). */
  readonly spreadSeconds?: number;
}

export function generateCandidates(state: GreenhouseState, now: number, options: GenerateOptions): CandidateRecord[] {
  const random = seededRandom(options.seed ?? 7);
  const spread = (options.spreadSeconds ?? 86_400) * 1000;
  const created: CandidateRecord[] = [];
  for (let i = 0; i < options.count; i++) {
    const first = FIRST[Math.floor(random() * FIRST.length)]!;
    const last = LAST[Math.floor(random() * LAST.length)]!;
    const at: Iso = new Date(now - spread + Math.floor((spread * (i + 1)) / options.count)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const candidate = state.insert(
      'candidates',
      { first_name: first, last_name: last, created_at: at, updated_at: at, last_activity_at: at },
      at,
    );
    candidate.email_addresses = [{ value: `${first}.${last}.${candidate.id}@example.test`.toLowerCase(), type: 'personal' }];
    created.push(candidate);
  }
  return created;
}
