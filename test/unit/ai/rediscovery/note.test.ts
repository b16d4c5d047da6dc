import { describe, expect, it } from 'vitest';
import { candidateProfile } from '#core/ai/rediscovery/profile';
import { evidenceFor } from '#core/ai/rediscovery/match';
import { REDISCOVERY_NOTE_PREFIX, rediscoveryNote } from '#core/ai/rediscovery/note';
import { isAiNote } from '#core/ai/ai-notes';
import { offlineEmbedderProvenance } from '#core/ai/rediscovery/offline-embedder';
import type { Candidate } from '#core/greenhouse/records';

const requirements = ['Java and Spring Boot services', 'PostgreSQL schema design', 'Kubernetes operations'];
const resumeText = 'Oriel Brannagh\noriel@mail.example\nJava and Spring Boot services for a bank\nSecret-project codename Halcyon';
const profile = candidateProfile({ candidate: { id: 5150, first_name: 'Oriel', last_name: 'Brannagh', title: 'Java Developer' } as Candidate, resumeText });

const note = rediscoveryNote(
  [
    { candidateId: 5150, score: 0.8234, evidence: evidenceFor(requirements, profile.text) },
    { candidateId: 6021, score: 0.41, evidence: { matched: [], judged: 3 } },
  ],
  { jobTitle: 'Senior Java Engineer', provenance: offlineEmbedderProvenance, minInactiveDays: 180 },
);

describe('rediscoveryNote', () => {
  it('starts like the other AI notes and says it is advice', () => {
    expect(note.split('\n')[0]).toBe(`${REDISCOVERY_NOTE_PREFIX}Senior Java Engineer: 2 past candidates to consider · advisory, not a decision`);
    // Recognised as the bridge's AI note, so the Greenhouse → Beamery sync never copies it to the CRM.
    expect(isAiNote(note)).toBe(true);
    expect(note).toMatch(/^AI /);
    expect(note).toContain('No one has been contacted or moved');
  });

  it('lists candidates by id and Greenhouse profile link, with the requirements they matched', () => {
    expect(note).toContain('1. Candidate 5150 — https://app.greenhouse.io/people/5150 · similarity 0.82 · 1 of 3 requirements found in the profile');
    expect(note).toContain('   • Java and Spring Boot services (java, spring, boot, services)');
    expect(note).toContain('2. Candidate 6021 — https://app.greenhouse.io/people/6021 · similarity 0.41 · 0 of 3 requirements found in the profile');
    expect(note).toMatch(/6021[^\n]*\n\s+• No requirement found word for word/);
  });

  it('repeats no name, contact detail or resume text', () => {
    expect(note).not.toMatch(/Oriel|Brannagh|mail\.example|bank|Halcyon|Java Developer/);
  });

  it('names the embedder and says when it is not a language model', () => {
    expect(note.split('\n').at(-1)).toBe(
      'Embedder offline · model hashed-terms-512-v1 (not a language model: word overlap only) · rediscovery-profile-v1. Names, contact details and protected-attribute lines were removed from profiles before embedding.',
    );
    const llm = rediscoveryNote([], { jobTitle: 'X', provenance: { provider: 'bedrock', model: 'titan', isLanguageModel: true, dimensions: 1024 }, minInactiveDays: 90, appUrl: 'https://gh.example/' });
    expect(llm.split('\n')[0]).toContain('X: 0 past candidates');
    expect(llm).not.toContain('not a language model');
  });
});
