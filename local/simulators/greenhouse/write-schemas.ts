import * as z from 'zod';

/**
 * Request bodies of the v3 writes the simulator accepts (reference §4). Unknown keys are rejected
 * with 422 — whether v3 ignores or rejects them is not documented; rejecting makes a client's
 * mistake (say `private` instead of `is_private`) visible in tests. Assumed.
 */
const id = z.number().int().positive();

const typed = (types: readonly [string, ...string[]]) => z.strictObject({ value: z.string().min(1), type: z.enum(types) });

/** `custom_fields` on writes: `[{name_key, value}]` [L] (one implementation, verified live). */
export const customFieldWrites = z.array(z.strictObject({ name_key: z.string().min(1), value: z.unknown() }));

export const candidateFields = z.strictObject({
  first_name: z.string().min(1),
  last_name: z.string().min(1),
  preferred_name: z.string().nullable(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  // Write key; reads say `private` [H].
  is_private: z.boolean(),
  can_email: z.boolean(),
  time_zone: z.string().nullable(),
  linked_user_ids: z.array(id),
  email_addresses: z.array(typed(['personal', 'work', 'other'])),
  phone_numbers: z.array(typed(['home', 'work', 'mobile', 'skype', 'other'])),
  addresses: z.array(typed(['home', 'work', 'other'])),
  website_addresses: z.array(typed(['personal', 'company', 'portfolio', 'blog', 'other'])),
  social_media_addresses: z.array(z.strictObject({ value: z.string().min(1) })),
  tags: z.array(z.string().min(1)),
  custom_fields: customFieldWrites,
});

/** Nested first application: the candidate arm (job_id) or the prospect arm [M]. */
const applicationParties = {
  source_id: id.optional(),
  referrer_id: id.optional(),
  recruiter_id: id.optional(),
  coordinator_id: id.optional(),
};
export const candidateApplicationArm = z.strictObject({ job_id: id, initial_stage_id: id.optional(), ...applicationParties });
export const prospectApplicationArm = z.strictObject({ prospect: z.literal(true), job_ids: z.array(id).optional(), ...applicationParties });
export const nestedApplication = z.union([candidateApplicationArm, prospectApplicationArm]);
export type NestedApplication = z.infer<typeof nestedApplication>;

export const candidateCreate = candidateFields
  .partial()
  .extend({ first_name: z.string().min(1), last_name: z.string().min(1), application: nestedApplication.optional() });
export type CandidateCreate = z.infer<typeof candidateCreate>;

/** Only keys present change; collections in it replace the whole collection [M] (gotcha 5). */
export const candidatePatch = candidateFields.partial();
export type CandidatePatch = z.infer<typeof candidatePatch>;

export const applicationPatch = z.strictObject({
  source_id: id.nullable().optional(),
  referrer_id: id.nullable().optional(),
  recruiter_id: id.nullable().optional(),
  coordinator_id: id.nullable().optional(),
  custom_fields: customFieldWrites.optional(),
});
export type ApplicationPatch = z.infer<typeof applicationPatch>;

/** Only NOTE, ACTIVITY and EMAIL are creatable; EMAIL needs subject and the address lists [M]. */
export const noteCreate = z
  .strictObject({
    candidate_id: id,
    body: z.string().min(1),
    note_type: z.enum(['NOTE', 'ACTIVITY', 'EMAIL']).default('NOTE'),
    visibility: z.enum(['public', 'private', 'admin_only']),
    application_id: id.optional(),
    user_id: id.optional(),
    subject: z.string().optional(),
    email_from: z.array(z.string()).optional(),
    email_to: z.array(z.string()).optional(),
    email_cc: z.array(z.string()).optional(),
  })
  .superRefine((note, ctx) => {
    const emailKeys = ['subject', 'email_from', 'email_to', 'email_cc'] as const;
    for (const key of emailKeys) {
      const present = note[key] !== undefined;
      if (note.note_type === 'EMAIL' && !present) ctx.addIssue({ code: 'custom', path: [key], message: 'is required for EMAIL notes' });
      if (note.note_type !== 'EMAIL' && present) ctx.addIssue({ code: 'custom', path: [key], message: 'is only allowed on EMAIL notes' });
    }
  });
export type NoteCreate = z.infer<typeof noteCreate>;

export const appliedTagCreate = z.strictObject({ candidate_id: id, candidate_tag_id: id });
export const candidateTagCreate = z.strictObject({ name: z.string().min(1) });

export const ATTACHMENT_TYPES = [
  'resume',
  'cover_letter',
  'take_home_test',
  'offer_packet',
  'offer_letter',
  'signed_offer_letter',
  'other',
  'form_attachment',
  'midfunnel_agreement',
  'automated_agreement',
] as const;

/** Exactly one of base64 `content` or a public `url` that Greenhouse downloads [H]. */
export const attachmentCreate = z
  .strictObject({
    application_id: id,
    filename: z.string().min(1).regex(/\.[A-Za-z0-9]+$/, 'must have an extension'),
    type: z.enum(ATTACHMENT_TYPES),
    content: z.base64().optional(),
    url: z.url().optional(),
    content_type: z.string().optional(),
    visibility: z.enum(['public', 'admin_only', 'private']).optional(),
  })
  .refine((a) => (a.content === undefined) !== (a.url === undefined), { message: 'give exactly one of content or url', path: ['content'] });
export type AttachmentCreate = z.infer<typeof attachmentCreate>;

/** Path id = the primary (winner) — assumed; v1 took primary_candidate_id + duplicate_candidate_id [H for v1]. */
export const mergeRequest = z.strictObject({ duplicate_candidate_id: id });

/** v1 took `?fields=` with these names [H for v1]; the v3 body `{fields: [...]}` is assumed (open question 6). */
export const ANONYMIZE_FIELDS = [
  'full_name', 'current_company', 'current_title', 'tags', 'phone_numbers', 'emails', 'social_media_links',
  'websites', 'addresses', 'location', 'custom_candidate_fields', 'source', 'recruiter', 'coordinator',
  'attachments', 'application_questions', 'referral_questions', 'notes', 'rejection_notes', 'email_addresses',
  'activity_items', 'innotes', 'inmails', 'rejection_reason', 'scorecards_and_interviews', 'offers',
  'credited_to', 'headline', 'all_offer_versions', 'follow_up_reminders', 'custom_application_fields',
  'education', 'employment', 'candidate_stage_data', 'prospect_owner', 'custom_rejection_question_fields',
  'touchpoints', 'prospect_pool_and_stage', 'prospect_jobs', 'prospect_offices', 'prospect_offices_and_departments',
  'match_score_reasoning', 'identity_verification', 'third_party_integrations',
] as const;
export const anonymizeRequest = z.strictObject({ fields: z.array(z.enum(ANONYMIZE_FIELDS)).min(1) });

/** Compare-and-swap on from_stage_id (the current job interview stage) [M]. */
export const moveRequest = z.strictObject({
  from_stage_id: id,
  to_stage_id: id.optional(),
  to_job_id: id.optional(),
  email_from_user_id: id.optional(),
});
export const rejectRequest = z.strictObject({
  rejection_reason_id: id,
  notes: z.string().optional(),
  rejection_email: z.looseObject({ email_template_id: id }).optional(),
});
export const hireRequest = z.strictObject({ opening_id: id.optional(), start_date: z.string().optional(), close_reason_id: id.optional() });

/**
 * `POST /v3/job_notes`: `{job_id, user_id, body, visibility}` as a public implementation sends it [M];
 * `user_id` optional here (the token's `sub` then, as for candidate notes: assumed).
 */
export const jobNoteCreate = z.strictObject({
  job_id: id,
  body: z.string().trim().min(1),
  visibility: z.enum(['admin_only_visible', 'privately_visible']),
  user_id: id.optional(),
});
export type JobNoteCreate = z.infer<typeof jobNoteCreate>;

/**
 * `PATCH /v3/job_posts/{id}`: the public `title` and the HTML `content` (the fields Greenhouse's own
 * guide shows for v2 [M]; v3's body is not public). Publishing (`live`, v3's `job_application_status`
 * per one secondary source) is refused as an unknown key: the bridge never publishes. Assumed.
 */
export const jobPostPatch = z
  .strictObject({ title: z.string().trim().min(1).optional(), content: z.string().min(1).optional() })
  .refine((patch) => patch.title !== undefined || patch.content !== undefined, { message: 'give title or content', path: ['body'] });
export type JobPostPatch = z.infer<typeof jobPostPatch>;
