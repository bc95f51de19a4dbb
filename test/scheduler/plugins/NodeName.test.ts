// Cases from kube-scheduler v1.31 nodename/node_name_test.go (TestNodeName).
import { describe, expect, it } from 'vitest';
import { factory, ErrReason } from '../../../src/scheduler/plugins/NodeName.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import { makeNode, makePod, nodeInfo, runFilter } from './pluginTestUtil.ts';

const plugin = factory(undefined, fakeHandle({}));

describe('NodeName filter (TestNodeName)', () => {
  it.each([
    ['no host specified', undefined, Code.Success],
    ['host matches', 'foo', Code.Success],
    ['host doesn\'t match', 'bar', Code.UnschedulableAndUnresolvable],
  ])('%s', (_n, nodeName, want) => {
    const v = runFilter(plugin, makePod(nodeName ? { nodeName } : {}), nodeInfo(makeNode('foo')));
    expect(v.code).toBe(want);
    expect(v.reasons).toEqual(want === Code.Success ? [] : [ErrReason]);
  });
  it('reason text is upstream\'s', () => {
    expect(ErrReason).toBe("node(s) didn't match the requested node name");
  });
});
