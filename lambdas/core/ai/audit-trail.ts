import { entityKey } from '#core/envelope';
import type { AuditEntry } from '#core/sync/ports';

/**
 * `bridge audit <applicationId>`, how an operator answers "why this score?" (docs/ai-governance.md):
 * the Audit entries of one Greenhouse application as text, oldest first, or as one JSON array. Pure:
 * the CLI lists the entries (DynamoDbAudit, newest first) and prints what this returns.
 *
 * The entries hold ids, provenance and the model's answer (evidence quotes included), never the
 * resume or scorecards. The answer is stored as a JSON string in `detail.output`; whatever is stored
 * there, malformed or of an unexpected shape, is printed (raw if need be) rather than thrown on.
 */

export interface AuditTrailOptions {
  /** One JSON array, oldest first, with `output` (and `removed`) parsed where they are JSON. */
  readonly json?: boolean;
  /** The operator's retention (`ai.auditRetentionDays`), named when nothing is recorded. */
  readonly retentionDays?: number;
}

type Detail = Readonly<Record<string, string | number | boolean | null>>;

const INDENT = '    ';
const SHORT_HASH = 12;

export function formatAuditTrail(applicationId: number, entries: readonly AuditEntry[], options: AuditTrailOptions = {}): string {
  const ordered = oldestFirst(entries);
  if (options.json) return JSON.stringify(ordered.map(jsonEntry), null, 2);

  const key = entityKey('greenhouse', 'application', applicationId);
  if (ordered.length === 0) {
    const retention = options.retentionDays === undefined ? 'the configured retention' : `the configured retention (${options.retentionDays} days)`;
    return [
      `Nothing is recorded in the audit trail for Greenhouse application ${applicationId} (${key}).`,
      `No AI workflow has run on it, or its entries have expired: entries expire after ${retention}.`,
    ].join('\n');
  }

  const lines = [`Audit trail of Greenhouse application ${applicationId} (${key}): ${ordered.length} entr${ordered.length === 1 ? 'y' : 'ies'}, oldest first`];
  for (const entry of ordered) lines.push('', ...formatEntry(entry).flatMap(hangingIndent));
  return lines.join('\n');
}

/** A line with line breaks in it (a model's text): the continuation lines indented under the first one's text. */
function hangingIndent(line: string): string[] {
  const [first = '', ...rest] = line.split('\n');
  if (rest.length === 0) return [first];
  const lead = ' '.repeat(/^[ ]*(?:[•–] )?/.exec(first)![0].length + (first.startsWith(INDENT) ? 0 : INDENT.length));
  return [first, ...rest.map((r) => `${lead}${r}`)];
}

/** DynamoDB lists newest first; entries in the same instant keep their stored order, reversed. */
function oldestFirst(entries: readonly AuditEntry[]): AuditEntry[] {
  const time = (entry: AuditEntry) => {
    const ms = Date.parse(entry.at);
    return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
  };
  return [...entries].reverse().sort((a, b) => time(a) - time(b));
}

function jsonEntry(entry: AuditEntry): unknown {
  if (entry.detail === undefined) return { ...entry };
  const detail: Record<string, unknown> = { ...entry.detail };
  for (const field of ['output', 'removed']) {
    const parsed = parseJson(entry.detail[field]);
    if (parsed.ok) detail[field] = parsed.value;
  }
  return { ...entry, detail };
}

function formatEntry(entry: AuditEntry): string[] {
  const detail: Detail = entry.detail ?? {};
  const workflow = text(detail['workflow']);
  const head = [clean(entry.at), entry.kind, ...(workflow ? [workflow] : [])].join('  ');
  if (!entry.kind.startsWith('ai-')) return formatOther(head, entry, detail);

  const lines = [head, `${INDENT}${clean(entry.summary)}`];
  const provenance = [
    labelled('provider', detail['provider']),
    labelled('model', detail['model']),
    labelled('prompt', detail['promptVersion']),
    labelled('mode', detail['mode']),
    labelled('job', detail['jobId']),
    labelled('stage', detail['stageId']),
  ].filter((part): part is string => part !== undefined);
  if (provenance.length) lines.push(`${INDENT}${provenance.join(' · ')}`);

  const reused = entry.kind === 'ai-reused' || detail['reused'] === true;
  const usage: string[] = [];
  if (reused) usage.push('no model call: reused an earlier inference with the same inputs, prompt version and model');
  else if (detail['inputTokens'] !== undefined || detail['outputTokens'] !== undefined) usage.push(`tokens ${text(detail['inputTokens']) ?? '?'} in / ${text(detail['outputTokens']) ?? '?'} out`);
  if (!reused && detail['latencyMs'] !== undefined) usage.push(`latency ${text(detail['latencyMs'])} ms`);
  const inputHash = text(detail['inputHash']);
  if (inputHash) usage.push(`input ${inputHash.slice(0, SHORT_HASH)}`);
  if (usage.length) lines.push(`${INDENT}${usage.join(' · ')}`);

  if (entry.kind === 'ai-not-screenable') lines.push(`${INDENT}reason: ${text(detail['reason']) ?? 'not recorded'}`);
  if (entry.kind === 'ai-failed') lines.push(`${INDENT}error: ${text(detail['error']) ?? text(detail['reason']) ?? 'not recorded'}`);

  if (detail['scorecards'] !== undefined) lines.push(`${INDENT}scorecards: ${text(detail['scorecards'])}`);
  const removed = removedLine(detail['removed']);
  if (removed) lines.push(`${INDENT}${removed}`);

  if (detail['output'] !== undefined) lines.push(...formatOutput(workflow, detail['output'], detail['score']));
  else if (detail['score'] !== undefined) lines.push(`${INDENT}score: ${text(detail['score'])}/100`);
  return lines;
}

/** Sync conflicts, skipped syncs and operator tasks on the same key: briefly. */
function formatOther(head: string, entry: AuditEntry, detail: Detail): string[] {
  const lines = [head, `${INDENT}${clean(entry.summary)}`];
  const pairs = Object.entries(detail).map(([name, value]) => `${clean(name)}=${text(value) ?? 'null'}`);
  if (pairs.length) lines.push(`${INDENT}${pairs.join(' ')}`);
  return lines;
}

function formatOutput(workflow: string | undefined, raw: string | number | boolean | null, score: unknown): string[] {
  const parsed = parseJson(raw);
  if (!parsed.ok || !isRecord(parsed.value)) return [`${INDENT}output (not readable as an answer, shown as stored): ${text(raw) ?? 'null'}`];
  const answer = parsed.value;
  if ('consensus' in answer || workflow === 'feedback-synthesis') return formatFeedback(answer);
  if ('score' in answer || 'strengths' in answer || workflow === 'screening') return formatScreening(answer, score);
  return [`${INDENT}output: ${text(raw)}`];
}

function formatScreening(answer: Record<string, unknown>, storedScore: unknown): string[] {
  const lines: string[] = [];
  const score = text(answer['score']) ?? text(storedScore);
  lines.push(`${INDENT}score: ${score ?? 'not recorded'}/100`);
  const summary = text(answer['summary']);
  if (summary) lines.push(...block('summary: ', summary));
  lines.push(...evidenceList('strengths', answer['strengths'], (e) => `“${e}”`));
  lines.push(...evidenceList('gaps', answer['gaps'], (e) => e));
  lines.push(...stringList('not judged from the resume', answer['notJudged']));
  return lines;
}

function formatFeedback(answer: Record<string, unknown>): string[] {
  const lines: string[] = [];
  const consensus = isRecord(answer['consensus']) ? answer['consensus'] : {};
  const summary = text(consensus['summary']);
  lines.push(...block('consensus: ', summary ?? 'not recorded'));
  const ratings = text(consensus['ratingSummary']);
  if (ratings) lines.push(...block('ratings: ', ratings));
  if (Array.isArray(answer['disagreements']) && answer['disagreements'].length) {
    lines.push(`${INDENT}disagreements:`);
    for (const d of answer['disagreements']) {
      if (!isRecord(d)) {
        lines.push(`${INDENT}  • ${text(JSON.stringify(d))}`);
        continue;
      }
      lines.push(`${INDENT}  • ${text(d['about']) ?? '?'}`);
      for (const p of Array.isArray(d['positions']) ? d['positions'] : []) {
        if (isRecord(p)) lines.push(`${INDENT}      – ${text(p['interviewer']) ?? '?'} (${text(p['rating']) ?? '?'}): ${text(p['view']) ?? ''}`);
      }
    }
  }
  if (Array.isArray(answer['themes']) && answer['themes'].length) {
    lines.push(`${INDENT}themes:`);
    for (const t of answer['themes']) {
      if (!isRecord(t)) lines.push(`${INDENT}  • ${text(JSON.stringify(t))}`);
      else {
        const by = Array.isArray(t['mentionedBy']) ? t['mentionedBy'].map((m) => text(m) ?? '?').join(', ') : '';
        lines.push(`${INDENT}  • ${text(t['theme']) ?? '?'}${by ? ` — raised by ${by}` : ''}`);
      }
    }
  }
  lines.push(...stringList('open questions', answer['openQuestions']));
  return lines;
}

function evidenceList(title: string, value: unknown, quote: (evidence: string) => string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${INDENT}${title}: ${text(JSON.stringify(value))}`];
  if (value.length === 0) return [`${INDENT}${title}: none`];
  return [
    `${INDENT}${title}:`,
    ...value.map((item) => {
      if (!isRecord(item)) return `${INDENT}  • ${text(typeof item === 'string' ? item : JSON.stringify(item))}`;
      const point = text(item['point']) ?? '?';
      const evidence = text(item['evidence']);
      return `${INDENT}  • ${point}${evidence ? ` — ${quote(evidence)}` : ''}`;
    }),
  ];
}

function stringList(title: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return [`${INDENT}${title}: ${text(JSON.stringify(value))}`];
  if (value.length === 0) return [`${INDENT}${title}: none`];
  return [`${INDENT}${title}:`, ...value.map((item) => `${INDENT}  • ${text(typeof item === 'string' ? item : JSON.stringify(item))}`)];
}

/** What minimisation took out before the model saw the text: the non-zero counts. */
function removedLine(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const parsed = parseJson(value);
  if (!parsed.ok || !isRecord(parsed.value)) return `removed before the model: ${text(value)}`;
  const counts = Object.entries(parsed.value).filter(([, n]) => typeof n !== 'number' || n !== 0);
  return `removed before the model: ${counts.length ? counts.map(([kind, n]) => `${clean(kind)} ${text(n)}`).join(', ') : 'nothing'}`;
}

/** A label and its text, continuation lines indented under the first. */
function block(label: string, value: string): string[] {
  const [first = '', ...rest] = value.split('\n');
  return [`${INDENT}${label}${first}`, ...rest.map((line) => `${INDENT}${' '.repeat(label.length)}${line}`)];
}

function labelled(label: string, value: unknown): string | undefined {
  const t = text(value);
  return t === undefined ? undefined : `${label} ${t}`;
}

/** A printable one-or-more-line string, or undefined for absent values. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return clean(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return clean(JSON.stringify(value) ?? String(value));
  } catch {
    return clean(String(value));
  }
}

/**
 * Model output is printed to an operator's terminal: control characters (escape sequences included)
 * are shown escaped, never sent. Line breaks are kept (CRLF as LF) for `block` to indent.
 */
function clean(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function parseJson(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch {
    return { ok: false };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
