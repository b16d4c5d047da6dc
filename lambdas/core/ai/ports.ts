/**
 * What the AI workflows remember between messages, as a port the core owns (DynamoDB on the Ledger
 * table in lambdas/adapters/store/ai-memory.ts, in memory for tests). Keys are namespaced by the
 * workflow (`screening#result#<reuse key>`, `screening#done#<application>`,
 * `feedback#done#<application>#<stage>`); values are results (scores, summaries, evidence quotes)
 * and hashes, never the resume or scorecard text. Entries expire with the Audit's retention.
 */
export interface AiMemory {
  get<T>(key: string): Promise<T | undefined>;
  put(key: string, value: unknown): Promise<void>;
}

/** What a resume file gave: its text, or why it cannot be screened (never a guess). */
export type ResumeTextResult =
  | { readonly kind: 'text'; readonly format: string; readonly text: string }
  | { readonly kind: 'not-screenable'; readonly reason: string; readonly format?: string };

export type ExtractResumeText = (file: { bytes: Uint8Array; contentType?: string | null; filename?: string }) => Promise<ResumeTextResult>;
