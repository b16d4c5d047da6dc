import { afterEach, describe, expect, it, vi } from 'vitest';
import { AI_SERVICE, SERVICES } from '#core/metrics';
import { BEAMERY_SYNC_SERVICE, GREENHOUSE_SYNC_SERVICE } from '#lib/constructs/sync-consumers';
import { POLLER_SERVICE } from '#lib/constructs/schedules';
import { FUNCTION_SERVICES, lambdaRuntime } from '#lambdas/runtime';
import { lambdaContext } from '#local/lambda-context';

/** Each function's Logger, as its entry file makes it: the service and function name on its lines. */
function linesOf(write: () => void): Record<string, unknown>[] {
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  write();
  const lines = stdout.mock.calls.map(([chunk]) => JSON.parse(String(chunk)) as Record<string, unknown>);
  stdout.mockRestore();
  return lines;
}

describe('lambdaRuntime', () => {
  afterEach(() => {
    delete process.env['POWERTOOLS_SERVICE_NAME'];
  });

  it('names each function with the service its construct deploys it under', () => {
    expect(FUNCTION_SERVICES).toEqual({
      'ingest-webhook': SERVICES.ingest,
      'beamery-push': SERVICES.beameryPush,
      'greenhouse-changes': GREENHOUSE_SYNC_SERVICE,
      'beamery-changes': BEAMERY_SYNC_SERVICE,
      'ai-tasks': AI_SERVICE,
      'scheduled-runs': POLLER_SERVICE,
      'pipeline-report': SERVICES.pipelineReport,
    });
  });

  it('keeps two functions in one process apart: each line carries its own service and function name', () => {
    delete process.env['POWERTOOLS_SERVICE_NAME'];
    const sync = lambdaRuntime('greenhouse-changes').logger;
    const ai = lambdaRuntime('ai-tasks').logger;
    sync.addContext(lambdaContext({ functionName: 'greenhouse-changes', timeoutMs: 1_000 }));
    ai.addContext(lambdaContext({ functionName: 'ai-tasks', timeoutMs: 1_000 }));

    const lines = linesOf(() => {
      sync.info('from sync');
      ai.info('from ai');
    });
    expect(lines.map((l) => [l['message'], l['service'], l['function_name']])).toEqual([
      ['from sync', GREENHOUSE_SYNC_SERVICE, 'greenhouse-changes'],
      ['from ai', AI_SERVICE, 'ai-tasks'],
    ]);
  });

  it('lets POWERTOOLS_SERVICE_NAME win where it is set, as on AWS', () => {
    process.env['POWERTOOLS_SERVICE_NAME'] = 'renamed-in-the-stack';
    const [line] = linesOf(() => lambdaRuntime('greenhouse-changes').logger.info('hello'));
    expect(line?.['service']).toBe('renamed-in-the-stack');
  });
});
