import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GreenhouseClient } from '#adapters/greenhouse/client';

/**
 * AI output is advice: the bridge never moves, rejects or advances (docs/ai-governance.md), and never
 * approves, edits or sends an offer (it may only ask an offer's approvers, `request_approvals`). Asserted
 * on the code itself, so it holds for paths no end-to-end scenario walks: the Greenhouse client has no
 * method that makes a hiring decision and its only offer methods read, and no deployed source
 * (lambdas/, bin/) names a decision endpoint of Harvest v3
 * (`POST /v3/applications/{id}/move|reject|unreject|hire|unhire|convert_to_candidate`, v1's `advance`,
 * any `…/approve`) or writes to `/v3/offers`.
 * test/e2e/ai-workflows.test.ts checks the same on the simulator's request log.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** A method name's words (camelCase split): `removeEmailAddress` is remove + email + address, not "move". */
const words = (name: string) => name.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
const DECISION_WORDS = new Set(['move', 'reject', 'unreject', 'hire', 'unhire', 'advance', 'convert', 'approve', 'send', 'extend']);
const DECISION_ENDPOINT = /\/(?:move|reject|unreject|hire|unhire|advance|convert_to_candidate|approve)\b/;
/** A write to an offer: `POST /v3/offers` (a create) or any path below one offer (`/v3/offers/{id}`: reads use `?ids=`). */
const OFFER_WRITE = /\/v3\/offers\/|(?:'POST'|'PATCH'|'PUT'|'DELETE')[^\n]*\/v3\/offers\b/;
/** Offer methods may only read: list… / get…. */
const OFFER_READS = new Set(['list', 'get']);

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('no code path makes a hiring decision', () => {
  it('the Greenhouse client has no method that moves, rejects, hires, advances or converts', () => {
    const methods = Object.getOwnPropertyNames(GreenhouseClient.prototype).filter((name) => name !== 'constructor');
    expect(methods.length).toBeGreaterThan(20);
    expect(methods.filter((name) => words(name).some((w) => DECISION_WORDS.has(w)))).toEqual([]);
    expect(words('moveApplication').some((w) => DECISION_WORDS.has(w))).toBe(true);
    expect(words('approveOffer').some((w) => DECISION_WORDS.has(w))).toBe(true);
    expect(words('sendOffer').some((w) => DECISION_WORDS.has(w))).toBe(true);
  });

  it('the Greenhouse client only reads offers: no method creates, changes, approves or sends one', () => {
    const methods = Object.getOwnPropertyNames(GreenhouseClient.prototype);
    const offerMethods = methods.filter((name) => words(name).some((w) => w === 'offer' || w === 'offers'));
    expect(offerMethods).toContain('listOffers');
    expect(offerMethods.filter((name) => !OFFER_READS.has(words(name)[0]!))).toEqual([]);
    // Asking the approvers is the one approval call, and it is a request, not a decision.
    expect(methods.filter((name) => /approv/i.test(name))).toEqual(['listApprovalFlows', 'listApproverGroups', 'listApprovers', 'requestApprovals']);
    expect(OFFER_READS.has(words('updateOffer')[0]!)).toBe(false);
  });

  it('no deployed source names a decision endpoint', () => {
    const files = [...sources('lambdas'), ...sources('bin')];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) => {
          const code = line.replace(/\/\/.*$|^\s*\*.*$/, '');
          return DECISION_ENDPOINT.test(code) || OFFER_WRITE.test(code) ? [`${relative(ROOT, file)}:${i + 1}: ${line.trim()}`] : [];
        }),
    );
    expect(offenders).toEqual([]);
  });

  it('the scan would find one: a line that posts to a move endpoint is caught', () => {
    expect(DECISION_ENDPOINT.test("this.write('POST', `/v3/applications/${id}/move`, schema, body)")).toBe(true);
    expect(DECISION_ENDPOINT.test("this.write('POST', `/v3/applications/${id}/reject`, schema, body)")).toBe(true);
    expect(DECISION_ENDPOINT.test("this.write('PATCH', `/v3/applications/${id}`, schema, body)")).toBe(false);
    expect(DECISION_ENDPOINT.test("this.write('POST', `/v3/approvals/${id}/approve`, schema, {})")).toBe(true);
    expect(OFFER_WRITE.test("this.write('PATCH', `/v3/offers/${id}`, offerSchema, { custom_fields })")).toBe(true);
    expect(OFFER_WRITE.test("this.write('POST', '/v3/offers', offerSchema, body)")).toBe(true);
    expect(OFFER_WRITE.test("return this.list('offers', { current_only: true }); // GET /v3/offers?current_only=true")).toBe(false);
    expect(OFFER_WRITE.test("new URL('/v3/offers?current_only=true', base)")).toBe(false);
    expect(DECISION_ENDPOINT.test("`/v3/approval_flows/${id}/request_approvals`")).toBe(false);
  });
});
