import { describe, expect, it } from 'vitest';
import { isLoopback, urlHost } from '#local/listen-host';

describe('listen hosts', () => {
  it('counts only addresses this machine alone can reach as loopback', () => {
    for (const host of ['127.0.0.1', '127.8.0.1', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '::ffff:10.0.0.1', 'fe80::1', 'devbox.local', '']) expect(isLoopback(host), host).toBe(false);
  });

  it('reaches a wildcard address through loopback, and brackets IPv6 in URLs', () => {
    expect(['0.0.0.0', '::', '127.0.0.1', '192.168.1.5', '::1', 'devbox.local'].map(urlHost)).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      '127.0.0.1',
      '192.168.1.5',
      '[::1]',
      'devbox.local',
    ]);
  });
});
