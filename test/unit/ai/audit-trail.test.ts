import { describe, expect, it } from 'vitest';
import { formatAuditTrail } from '#core/ai/audit-trail';
import type { AuditEntry } from '#core/sync/ports';

const KEY = 'greenhouse#application#123';
const HASH = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

const screeningAnswer = {
  score: 72,
  summary: 'Strong TypeScript background; no AWS evidence.',
  strengths: [{ point: '5+ years of TypeScript', evidence: 'Led the TypeScript migration at Acme (2019–2024)' }],
  gaps: [{ point: 'AWS experience', evidence: 'No cloud provider named anywhere in the resume' }],
  notJudged: ['Right to work in the EU'],
};

const inference: AuditEntry = {
  kind: 'ai-inference',
  entityKey: KEY,
  summary: 'Screening score 72 by bedrock/anthropic.claude-test (screening-v1).',
  detail: {
    workflow: 'screening',
    applicationId: 123,
    jobId: 7,
    mode: 'assist',
    inputHash: HASH,
    reused: false,
    resumeFormat: 'pdf',
    requirements: 4,
    removed: JSON.stringify({ email: 1, phone: 1, link: 0, 'proxy-line': 0, name: 2 }),
    provider: 'bedrock',
    model: 'anthropic.claude-test',
    promptVersion: 'screening-v1',
    inputTokens: 1200,
    outputTokens: 310,
    latencyMs: 2345,
    score: 72,
    output: JSON.stringify(screeningAnswer),
  },
  at: '2026-11-23T10:00:00.000Z',
};

const reuse: AuditEntry = {
  kind: 'ai-reused',
  entityKey: KEY,
  summary: 'Screening score 72 reused from an earlier inference with the same resume, job version, prompt and model.',
  detail: { ...inference.detail, reused: true, inputTokens: 0, outputTokens: 0, latencyMs: 0 },
  at: '2026-11-24T09:00:00.000Z',
};

const feedback: AuditEntry = {
  kind: 'ai-inference',
  entityKey: KEY,
  summary: 'Feedback synthesis for stage 55 (2 scorecards) by offline/offline-keyword-v1 (feedback-synthesis-v1).',
  detail: {
    workflow: 'feedback-synthesis',
    applicationId: 123,
    jobId: 7,
    stageId: 55,
    mode: 'shadow',
    scorecards: 2,
    scorecardSet: 'set-hash',
    inputHash: HASH,
    provider: 'offline',
    model: 'offline-keyword-v1',
    promptVersion: 'feedback-synthesis-v1',
    inputTokens: 900,
    outputTokens: 200,
    latencyMs: 12,
    removed: JSON.stringify({ email: 0, phone: 0, link: 0, 'proxy-line': 0, name: 0, 'interviewer-name': 3 }),
    output: JSON.stringify({
      consensus: { summary: 'Both interviewers found the candidate communicated clearly.', ratingSummary: 'one strong yes, one no' },
      disagreements: [
        {
          about: 'Depth of system design',
          positions: [
            { interviewer: 'Interviewer A', rating: 'strong_yes', view: 'Went deep on sharding.' },
            { interviewer: 'Interviewer B', rating: 'no', view: 'Shallow on failure modes.' },
          ],
        },
      ],
      themes: [{ theme: 'Communication', mentionedBy: ['Interviewer A', 'Interviewer B'] }],
      openQuestions: ['How does the candidate approach failure modes?'],
    }),
  },
  at: '2026-11-25T15:30:00.000Z',
};

const notScreenable: AuditEntry = {
  kind: 'ai-not-screenable',
  entityKey: KEY,
  summary: 'Screening not run: no-resume. Nothing was guessed or written back.',
  detail: { workflow: 'screening', applicationId: 123, jobId: 7, mode: 'shadow', reason: 'no-resume' },
  at: '2026-11-20T08:00:00.000Z',
};

const failed: AuditEntry = {
  kind: 'ai-failed',
  entityKey: KEY,
  summary: 'Screening failed: the model answer was invalid after 2 attempts. Nothing was written back.',
  detail: {
    workflow: 'screening',
    applicationId: 123,
    jobId: 7,
    mode: 'shadow',
    provider: 'bedrock',
    model: 'anthropic.claude-test',
    promptVersion: 'screening-v1',
    inputHash: HASH,
    error: 'ModelAnswerInvalid',
  },
  at: '2026-11-21T08:00:00.000Z',
};

describe('formatAuditTrail', () => {
  it('prints a screening inference: provenance, usage, short input hash, score, summary, evidence and what was not judged', () => {
    expect(formatAuditTrail(123, [inference])).toBe(
      [
        'Audit trail of Greenhouse application 123 (greenhouse#application#123): 1 entry, oldest first',
        '',
        '2026-11-23T10:00:00.000Z  ai-inference  screening',
        '    Screening score 72 by bedrock/anthropic.claude-test (screening-v1).',
        '    provider bedrock · model anthropic.claude-test · prompt screening-v1 · mode assist · job 7',
        '    tokens 1200 in / 310 out · latency 2345 ms · input a1b2c3d4e5f6',
        '    removed before the model: email 1, phone 1, name 2',
        '    score: 72/100',
        '    summary: Strong TypeScript background; no AWS evidence.',
        '    strengths:',
        '      • 5+ years of TypeScript — “Led the TypeScript migration at Acme (2019–2024)”',
        '    gaps:',
        '      • AWS experience — No cloud provider named anywhere in the resume',
        '    not judged from the resume:',
        '      • Right to work in the EU',
      ].join('\n'),
    );
  });

  it('says a reuse made no model call and still shows the answer it reused', () => {
    const out = formatAuditTrail(123, [reuse]);
    expect(out).toContain('2026-11-24T09:00:00.000Z  ai-reused  screening');
    expect(out).toContain('    no model call: reused an earlier inference with the same inputs, prompt version and model · input a1b2c3d4e5f6');
    expect(out).not.toContain('tokens');
    expect(out).toContain('    score: 72/100');
    expect(out).toContain('    summary: Strong TypeScript background; no AWS evidence.');
  });

  it('prints a feedback synthesis: stage, scorecard count, consensus, ratings, disagreements, themes and open questions', () => {
    expect(formatAuditTrail(123, [feedback]).split('\n').slice(2)).toEqual([
      '2026-11-25T15:30:00.000Z  ai-inference  feedback-synthesis',
      '    Feedback synthesis for stage 55 (2 scorecards) by offline/offline-keyword-v1 (feedback-synthesis-v1).',
      '    provider offline · model offline-keyword-v1 · prompt feedback-synthesis-v1 · mode shadow · job 7 · stage 55',
      '    tokens 900 in / 200 out · latency 12 ms · input a1b2c3d4e5f6',
      '    scorecards: 2',
      '    removed before the model: interviewer-name 3',
      '    consensus: Both interviewers found the candidate communicated clearly.',
      '    ratings: one strong yes, one no',
      '    disagreements:',
      '      • Depth of system design',
      '          – Interviewer A (strong_yes): Went deep on sharding.',
      '          – Interviewer B (no): Shallow on failure modes.',
      '    themes:',
      '      • Communication — raised by Interviewer A, Interviewer B',
      '    open questions:',
      '      • How does the candidate approach failure modes?',
    ]);
  });

  it('prints the reason of a not-screenable entry and the error of a failed one', () => {
    const out = formatAuditTrail(123, [failed, notScreenable]);
    expect(out).toContain(['2026-11-20T08:00:00.000Z  ai-not-screenable  screening', '    Screening not run: no-resume. Nothing was guessed or written back.', '    mode shadow · job 7', '    reason: no-resume'].join('\n'));
    expect(out).toContain('2026-11-21T08:00:00.000Z  ai-failed  screening');
    expect(out).toContain('    provider bedrock · model anthropic.claude-test · prompt screening-v1 · mode shadow · job 7\n    input a1b2c3d4e5f6\n    error: ModelAnswerInvalid');
  });

  it('lists oldest first whatever order it is given (the store lists newest first), non-AI entries briefly', () => {
    const conflict: AuditEntry = {
      kind: 'sync-conflict',
      entityKey: KEY,
      summary: 'Greenhouse and Beamery both changed tags',
      detail: { groups: 'tags', direction: 'greenhouse-to-beamery' },
      at: '2026-11-22T00:00:00.000Z',
    };
    const out = formatAuditTrail(123, [feedback, reuse, inference, conflict, failed, notScreenable]);
    expect(out.split('\n')[0]).toBe('Audit trail of Greenhouse application 123 (greenhouse#application#123): 6 entries, oldest first');
    const heads = out.split('\n').filter((line) => /^\d{4}-/.test(line));
    expect(heads).toEqual([
      '2026-11-20T08:00:00.000Z  ai-not-screenable  screening',
      '2026-11-21T08:00:00.000Z  ai-failed  screening',
      '2026-11-22T00:00:00.000Z  sync-conflict',
      '2026-11-23T10:00:00.000Z  ai-inference  screening',
      '2026-11-24T09:00:00.000Z  ai-reused  screening',
      '2026-11-25T15:30:00.000Z  ai-inference  feedback-synthesis',
    ]);
    expect(out).toContain('2026-11-22T00:00:00.000Z  sync-conflict\n    Greenhouse and Beamery both changed tags\n    groups=tags direction=greenhouse-to-beamery\n');
  });

  it('keeps two entries of the same instant in the order they happened (the store lists them newest first)', () => {
    const first = { ...notScreenable, summary: 'first' };
    const second = { ...notScreenable, summary: 'second' };
    const out = formatAuditTrail(123, [second, first]);
    expect(out.indexOf('first')).toBeLessThan(out.indexOf('second'));
  });

  it('prints malformed or unexpected output as stored, and never throws', () => {
    const broken = (output: string | number | null): AuditEntry => ({ ...inference, detail: { ...inference.detail, output } });
    expect(formatAuditTrail(123, [broken('{"score": 72, "summ')])).toContain('    output (not readable as an answer, shown as stored): {"score": 72, "summ');
    expect(formatAuditTrail(123, [broken('[1,2]')])).toContain('    output (not readable as an answer, shown as stored): [1,2]');
    expect(formatAuditTrail(123, [broken(null)])).toContain('    output (not readable as an answer, shown as stored): null');
    const odd = formatAuditTrail(123, [broken(JSON.stringify({ score: 'high', strengths: 'many', gaps: [null, 'plain'], notJudged: [{ x: 1 }] }))]);
    expect(odd).toContain('    score: high/100');
    expect(odd).toContain('    strengths: "many"');
    expect(odd).toContain('    gaps:\n      • null\n      • plain');
    expect(odd).toContain('    not judged from the resume:\n      • {"x":1}');
    const noDetail: AuditEntry = { kind: 'ai-inference', entityKey: KEY, summary: 'bare', at: 'not a date' };
    expect(formatAuditTrail(123, [noDetail])).toContain('not a date  ai-inference\n    bare');
    const badRemoved: AuditEntry = { ...inference, detail: { ...inference.detail, removed: 'oops' } };
    expect(formatAuditTrail(123, [badRemoved])).toContain('    removed before the model: oops');
  });

  it('escapes control characters from the model and indents its line breaks', () => {
    const answer = { ...screeningAnswer, summary: 'line one\nline two\u001b[31m red' };
    const out = formatAuditTrail(123, [{ ...inference, detail: { ...inference.detail, output: JSON.stringify(answer) } }]);
    expect(out).toContain('    summary: line one\n             line two\\u001b[31m red');
    expect(out).not.toContain('\u001b');
  });

  it('says plainly when nothing is recorded, and that entries expire after the retention', () => {
    expect(formatAuditTrail(123, [], { retentionDays: 30 })).toBe(
      [
        'Nothing is recorded in the audit trail for Greenhouse application 123 (greenhouse#application#123).',
        'No AI workflow has run on it, or its entries have expired: entries expire after the configured retention (30 days).',
      ].join('\n'),
    );
    expect(formatAuditTrail(9, [])).toContain('entries expire after the configured retention.');
  });

  it('prints one JSON array in json mode, oldest first, with the output (and removed counts) parsed', () => {
    const broken: AuditEntry = { ...notScreenable, detail: { ...notScreenable.detail, output: 'not json' } };
    const parsed = JSON.parse(formatAuditTrail(123, [reuse, inference, broken], { json: true })) as { kind: string; detail: Record<string, unknown> }[];
    expect(parsed.map((e) => e.kind)).toEqual(['ai-not-screenable', 'ai-inference', 'ai-reused']);
    expect(parsed[1]).toEqual({ ...inference, detail: { ...inference.detail, output: screeningAnswer, removed: { email: 1, phone: 1, link: 0, 'proxy-line': 0, name: 2 } } });
    expect(parsed[0]!.detail['output']).toBe('not json');
    expect(JSON.parse(formatAuditTrail(123, [], { json: true }))).toEqual([]);
  });
});
