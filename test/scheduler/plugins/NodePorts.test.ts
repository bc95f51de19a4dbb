// Cases from kube-scheduler v1.31 nodeports/node_ports_test.go
// (TestNodePorts, TestIsSchedulableAfterPodDeleted).
import { describe, expect, it } from 'vitest';
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1';
import { factory, ErrReason, isSchedulableAfterPodDeleted } from '../../../src/scheduler/plugins/NodePorts.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import type { Stored } from '../../../src/sim/types.ts';
import { container, makeNode, makePod, nodeInfo, runFilter } from './pluginTestUtil.ts';

const plugin = factory(undefined, fakeHandle({}));

/** upstream newPod(host, "PROTO/ip/port", ...) */
function portPod(...hostPortInfos: string[]): Pod {
  const ports: ContainerPort[] = hostPortInfos.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { containerPort: Number(port), hostPort: Number(port), protocol: protocol as 'TCP' | 'UDP', hostIP };
  });
  return makePod({ containers: [container(undefined, { ports })] });
}

describe('NodePorts filter (TestNodePorts)', () => {
  const cases: Array<[string, string[], string[], boolean]> = [
    ['nothing running', [], [], true],
    ['other port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/9090'], true],
    ['same udp port', ['UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['same tcp port', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], false],
    ['different host ip', ['TCP/127.0.0.1/8080'], ['TCP/127.0.0.2/8080'], true],
    ['different protocol', ['UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8080'], true],
    ['second udp port conflict', ['UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'], ['UDP/127.0.0.1/8080'], false],
    ['first tcp port conflict', ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'], ['TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081'], false],
    ['first tcp port conflict due to 0.0.0.0 hostIP', ['TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['TCP hostPort conflict due to 0.0.0.0 hostIP', ['TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'], ['TCP/127.0.0.1/8001'], false],
    ['second tcp port conflict to 0.0.0.0 hostIP', ['TCP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], false],
    ['second different protocol', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001'], true],
    ['UDP hostPort conflict due to 0.0.0.0 hostIP', ['UDP/127.0.0.1/8001'], ['TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001'], false],
  ];
  for (const [name, want, existing, fits] of cases) {
    it(name, () => {
      const ni = nodeInfo(makeNode('n1'), existing.length ? [portPod(...existing)] : []);
      const v = runFilter(plugin, portPod(...want), ni);
      if (fits) expect(v).toEqual({ code: Code.Success, reasons: [] });
      else expect(v).toEqual({ code: Code.Unschedulable, reasons: [ErrReason] });
    });
  }
  it('unset hostIP means 0.0.0.0 and unset protocol means TCP', () => {
    const want = makePod({ containers: [container(undefined, { ports: [{ containerPort: 80, hostPort: 80 }] })] });
    const v = runFilter(plugin, want, nodeInfo(makeNode('n1'), [portPod('TCP/10.1.1.1/80')]));
    expect(v.code).toBe(Code.Unschedulable);
    const v2 = runFilter(plugin, want, nodeInfo(makeNode('n1'), [portPod('UDP/10.1.1.1/80')]));
    expect(v2.code).toBe(Code.Success);
  });
  it('containerPort without hostPort is not a host port', () => {
    const want = makePod({ containers: [container(undefined, { ports: [{ containerPort: 80 }] })] });
    expect(runFilter(plugin, want, nodeInfo(makeNode('n1'), [portPod('TCP/0.0.0.0/80')])).code).toBe(Code.Success);
  });
});

describe('NodePorts queueing hint (TestIsSchedulableAfterPodDeleted)', () => {
  const pod = portPod('TCP/0.0.0.0/8080') as unknown as Stored;
  const placed = (p: Pod, node?: string, nominated?: string): Stored =>
    ({ ...p, spec: { ...p.spec!, ...(node ? { nodeName: node } : {}) }, ...(nominated ? { status: { nominatedNodeName: nominated } } : {}) }) as unknown as Stored;
  it.each([
    ['backoff if the deleted pod is unscheduled', placed(portPod('TCP/0.0.0.0/8080')), 'QueueSkip'],
    ['queue if the deleted pod was nominated', placed(portPod('TCP/0.0.0.0/8080'), undefined, 'n1'), 'Queue'],
    ['queue when the deleted pod held a conflicting port', placed(portPod('TCP/0.0.0.0/8080'), 'n1'), 'Queue'],
    ['skip when the deleted pod held no port', placed(makePod(), 'n1'), 'QueueSkip'],
    ['skip when the ports do not overlap', placed(portPod('TCP/0.0.0.0/9090'), 'n1'), 'QueueSkip'],
  ])('%s', (_n, deleted, want) => {
    expect(isSchedulableAfterPodDeleted(pod, deleted, undefined)).toBe(want);
  });
});
