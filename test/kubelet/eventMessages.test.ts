/**
 * The kubelet's Event message caches give the template's text for every part,
 * whatever came before (a cache keyed wrongly, or one that keeps a stale
 * entry across its clearing, gives another part's message), and stay bounded.
 */
import { describe, expect, it } from 'vitest';
import { createdMessages, MessageCache, MESSAGES_MAX, presentMessages, startedMessages } from '../../src/kubelet/eventMessages.ts';

describe('event message caches', () => {
  it('give the template text for each part, past the bound, and never hold more than the bound', () => {
    const c = new MessageCache((p) => `m ${p}`);
    const parts = Array.from({ length: MESSAGES_MAX * 2 + 7 }, (_, i) => `p${i % (MESSAGES_MAX + 3)}`);
    for (const p of parts) {
      expect(c.get(p)).toBe(`m ${p}`);
      expect(c.size).toBeLessThanOrEqual(MESSAGES_MAX);
    }
    // Asked again, a part gives the same string (made once while it is kept).
    expect(c.get('again')).toBe(c.get('again'));
  });

  it('the kubelet messages read as upstream writes them', () => {
    expect(createdMessages.get('nginx')).toBe('Created container: nginx');
    expect(startedMessages.get('nginx')).toBe('Started container nginx');
    expect(presentMessages.get('nginx:1.27')).toBe('Container image "nginx:1.27" already present on machine');
    expect(createdMessages.get('sidecar')).toBe('Created container: sidecar');
  });
});
