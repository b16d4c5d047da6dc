/**
 * The bridge's work queues, by the ids the infrastructure (lib/resource-definitions.ts) and the
 * local stack name them: what the webhook catalogue routes to and what messages say they are for.
 */
export type QueueId = 'greenhouse-changes' | 'beamery-changes' | 'ai-tasks';
