import { SCREENING_PROMPT_VERSION, type ScreeningInput, type ScreeningProvider, type ScreeningResult } from './contract.ts';

/**
 * The offline provider: a deterministic, explainable skills-and-requirements matcher with the same
 * interface as the Bedrock provider, for the local stack, the tests and `npm run eval`. It is not a
 * language model and says so in every result (`provider: offline`).
 *
 * How it judges: each requirement line of the job post gives its keywords (words of three or more
 * letters that are not common English or job-ad words, and technology names such as `C++`, `Node.js`,
 * `CI/CD`). A requirement is met when at least half of its keywords occur in the resume; the evidence
 * is the resume line holding most of them. A requirement with no keyword is reported as not judged.
 * The score is the share of judged requirements met, 0–100.
 */
export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'keyword-matcher-v1';

const STOPWORDS = new Set(
  `about above across after also among and any are able ability based been being both but can candidate candidates could
  demonstrated desirable desired driven each either environment etc every excellent experience experienced familiarity familiar
  fast-paced for from good great hands hands-on have having help ideal ideally including into its job knowledge least like love
  looking motivated must nice not one our passion passionate self-starter
  plus preferred proven related required requirement requirements role should skills solid some strong such team teams
  than that the their them they this those through understanding using very want well what when which while will with
  within work working would years year you your`.split(/\s+/),
);

/** Words, keeping the characters technology names use (C++, C#, Node.js, CI/CD). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9][a-z0-9+#./-]*[a-z0-9+#]|[a-z0-9]/g) ?? []).map((w) => w.replace(/[./-]+$/, ''));
}

export function keywordsOf(requirement: string): string[] {
  return [...new Set(words(requirement).filter((w) => (w.length >= 3 || /[+#]/.test(w) || w === 'go' || w === 'r') && !STOPWORDS.has(w) && !/^\d+\+?$/.test(w)))];
}

export function screenOffline(input: ScreeningInput): ScreeningResult {
  const resumeLines = input.resumeText.split(/\n/).map((l) => l.trim()).filter(Boolean);
  const lineWords = resumeLines.map((line) => new Set(words(line)));
  const resumeWords = new Set(lineWords.flatMap((set) => [...set]));

  const strengths: ScreeningResult['strengths'][number][] = [];
  const gaps: ScreeningResult['gaps'][number][] = [];
  const notJudged: string[] = [];
  for (const requirement of input.requirements) {
    const point = requirement.trim().slice(0, 300);
    const keywords = keywordsOf(requirement);
    if (keywords.length === 0) {
      notJudged.push(point);
      continue;
    }
    const found = keywords.filter((k) => resumeWords.has(k));
    if (found.length * 2 >= keywords.length) {
      let best = 0;
      for (let i = 1; i < lineWords.length; i++) {
        if (found.filter((k) => lineWords[i]!.has(k)).length > found.filter((k) => lineWords[best]!.has(k)).length) best = i;
      }
      strengths.push({ point, evidence: (resumeLines[best] ?? '').slice(0, 500) });
    } else {
      const missing = keywords.filter((k) => !resumeWords.has(k));
      gaps.push({ point, evidence: `not found in the resume: ${missing.join(', ')}`.slice(0, 500) });
    }
  }
  const judged = strengths.length + gaps.length;
  const score = judged === 0 ? 0 : Math.round((100 * strengths.length) / judged);
  return {
    provider: OFFLINE_PROVIDER,
    model: OFFLINE_MODEL,
    promptVersion: SCREENING_PROMPT_VERSION,
    score,
    summary: `Offline keyword matcher (not a language model): ${strengths.length} of ${judged} judged requirements found in the resume${notJudged.length ? `; ${notJudged.length} not judged` : ''}.`,
    strengths: strengths.slice(0, 20),
    gaps: gaps.slice(0, 20),
    notJudged: notJudged.slice(0, 40),
    usage: { inputTokens: 0, outputTokens: 0 },
    latencyMs: 0,
  };
}

export const offlineScreeningProvider: ScreeningProvider = {
  provider: OFFLINE_PROVIDER,
  model: OFFLINE_MODEL,
  screen: async (input) => screenOffline(input),
};
