/**
 * Where the Greenhouse candidate (or job) id lives on a Beamery record. LOW: the seed's mapping table
 * names the contact field `integration>greenhouse>id` (S7), and `integrations` exists and survives
 * anonymization (S10), but its JSON shape is not published. Read every plausible shape; write the one
 * configured (docs/beamery-assumptions.md: inspect a contact created by the native integration).
 */

export type GreenhouseIdField =
  /** `integrations: {greenhouse: {id, url}}` (default; ASSUMED writable by API clients). */
  | { readonly kind: 'integrations' }
  /** A tenant text custom field "Greenhouse Candidate ID" (the reference's recommendation; MED that custom fields write). */
  | { readonly kind: 'custom-field'; readonly fieldId: string };

export const DEFAULT_GREENHOUSE_ID_FIELD: GreenhouseIdField = { kind: 'integrations' };

const asId = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** `{greenhouse: {id}}`, `{greenhouse: "id"}`, or `[{type|name|provider|source: "greenhouse", id|externalId}]`. */
export function greenhouseIdFromIntegrations(integrations: unknown): string | undefined {
  if (!integrations || typeof integrations !== 'object') return undefined;
  if (Array.isArray(integrations)) {
    for (const entry of integrations) {
      if (!entry || typeof entry !== 'object') continue;
      const e = entry as Record<string, unknown>;
      const kind = [e['type'], e['name'], e['provider'], e['source']].find((v) => typeof v === 'string');
      if (typeof kind === 'string' && kind.toLowerCase() === 'greenhouse') {
        const found = asId(e['id']) ?? asId(e['externalId']) ?? asId(e['atsId']);
        if (found) return found;
      }
    }
    return undefined;
  }
  const greenhouse = (integrations as Record<string, unknown>)['greenhouse'];
  if (greenhouse && typeof greenhouse === 'object') return asId((greenhouse as Record<string, unknown>)['id']);
  return asId(greenhouse);
}
