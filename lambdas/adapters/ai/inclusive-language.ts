import { text as alex } from 'alex';
import type { InclusiveLanguage } from '#core/ai/jd/ports';

/**
 * alex (retext-equality and retext-profanities) as job-description drafts' inclusive-language check.
 * `profanitySureness: 1`: only words that are profane in most uses, so "execute" or "strip" in a job
 * ad are not reported. Loaded only when a draft is checked (inclusive-language-loader.ts): alex and
 * its unified parser are a sizeable part of a bundle that screens resumes far more often.
 */
export const alexInclusiveLanguage: InclusiveLanguage = (text) =>
  alex(text, { profanitySureness: 1 }).messages.map((message) => ({ reason: message.reason, rule: `${message.source}/${message.ruleId}` }));
