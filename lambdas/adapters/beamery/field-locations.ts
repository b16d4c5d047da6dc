import * as z from '#core/zod-mini';
import type { ContactParseOptions } from './wire/contact.ts';
import type { GreenhouseIdField } from './wire/greenhouse-id.ts';

/**
 * Where a tenant keeps what no public source locates (docs/beamery-assumptions.md), as configuration
 * text: the Greenhouse id `integrations` (today: `integrations.greenhouse.id`, ASSUMED writable) or
 * `customField:<id>` (the reference's recommendation); consent status and date each `top-level` (today:
 * `consentStatus`, `lastConsentDate`, the seed's names) or `customField:<id>` (the only public code,
 * S4, keeps consent in tenant custom fields). The ids are the tenant's custom-field ids.
 */

export type FieldLocation = { readonly kind: 'top-level' } | { readonly kind: 'custom-field'; readonly fieldId: string };

export interface ConsentFields {
  readonly status: FieldLocation;
  readonly date: FieldLocation;
}

export const DEFAULT_CONSENT_FIELDS: ConsentFields = { status: { kind: 'top-level' }, date: { kind: 'top-level' } };

const CUSTOM_FIELD = /^customField:(\S+)$/;

export const greenhouseIdFieldText = z.string().check(z.trim(), z.regex(/^(integrations|customField:\S+)$/, { message: 'expected integrations or customField:<field id>' }));
export const consentFieldText = z.string().check(z.trim(), z.regex(/^(top-level|customField:\S+)$/, { message: 'expected top-level or customField:<field id>' }));

export function greenhouseIdFieldFrom(text: string): GreenhouseIdField {
  const fieldId = CUSTOM_FIELD.exec(greenhouseIdFieldText.parse(text))?.[1];
  return fieldId ? { kind: 'custom-field', fieldId } : { kind: 'integrations' };
}

export function consentFieldFrom(text: string): FieldLocation {
  const fieldId = CUSTOM_FIELD.exec(consentFieldText.parse(text))?.[1];
  return fieldId ? { kind: 'custom-field', fieldId } : { kind: 'top-level' };
}

/** The location as an operator reads it in evidence and errors. */
export function describeLocation(location: GreenhouseIdField | FieldLocation, topLevelName: string): string {
  if (location.kind === 'custom-field') return `customFields[${location.fieldId}]`;
  return location.kind === 'integrations' ? 'integrations.greenhouse.id' : topLevelName;
}

export function contactParseOptions(greenhouseId: GreenhouseIdField, consent: ConsentFields): ContactParseOptions {
  return {
    ...(greenhouseId.kind === 'custom-field' ? { greenhouseIdCustomFieldId: greenhouseId.fieldId } : {}),
    ...(consent.status.kind === 'custom-field' ? { consentStatusCustomFieldId: consent.status.fieldId } : {}),
    ...(consent.date.kind === 'custom-field' ? { consentDateCustomFieldId: consent.date.fieldId } : {}),
  };
}
