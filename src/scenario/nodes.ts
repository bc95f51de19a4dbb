/**
 * Node groups of a Scenario: `count` nodes from one description, names and
 * label values from templates (src/scenario/template.ts). Each becomes a v1
 * Node as the kubelet would register it: the well-known labels the kubelet
 * sets (kubernetes.io/hostname, kubernetes.io/os, kubernetes.io/arch),
 * status.capacity, and status.allocatable computed as the kubelet does from
 * the group's KubeletConfiguration (capacity minus kube-reserved,
 * system-reserved and the hard eviction thresholds; src/api/node.ts) unless
 * given.
 */
import type { Node, Taint } from 'kubernetes-types/core/v1.js';
import type { FieldError } from '../api/errors.ts';
import { Quantity, quantityFieldError } from '../api/quantity.ts';
import { defaultKubeletConfiguration, validateKubeletConfiguration, type KubeletConfiguration } from '../api/kubeletConfig.ts';
import { computeAllocatable, podCapacity, LabelArchBeta, LabelArchStable, LabelHostname, LabelOSBeta, LabelOSStable } from '../api/node.ts';
import { applyDefaults } from '../api/defaults.ts';
import { validateObject } from '../api/validation.ts';
import type { KObject } from '../sim/types.ts';
import { compileTemplate, TemplateError, type CompiledTemplate } from './template.ts';
import { cloneJson, isPlainObject, ShapeChecker, typeError, type Plain } from './shape.ts';
import { joinPath } from './problems.ts';
import type { Reporter } from './report.ts';
import type { LoadedObject, Origin } from './types.ts';
import { numaAnnotations } from './numa.ts';
import { inheritedPolicyWarnings, kubeletConfigWarnings } from '../kubelet/configFields.ts';

/** Upper bound on one group: far above any realistic simulation, low enough to catch typos. */
export const MAX_GROUP_COUNT = 100_000;
/** Upper bound on all groups together, checked before any node is built (100 groups of 100,000 would exhaust memory). */
export const MAX_TOTAL_NODES = 100_000;

/** Annotation carrying a group's kubelet overrides for the kubelet stand-in (JSON). */
export const KUBELET_CONFIG_ANNOTATION = 'ksim.dev/kubelet-config';

const GROUP_FIELDS = ['count', 'namePrefix', 'name', 'capacity', 'allocatable', 'labels', 'annotations', 'taints', 'numa', 'kubelet'] as const;

/** Deep merge of plain objects (b wins); lists and scalars are replaced, as a later config file overrides. */
export function mergeConfig(a: unknown, b: unknown): unknown {
  if (!isPlainObject(a) || !isPlainObject(b)) return b === undefined ? a : b;
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = mergeConfig(a[k], v);
  return out;
}

/** Canonical quantity text as the API server would store it (Quantity round trip). */
function quantityMap(ck: ShapeChecker, v: unknown, path: string): Record<string, string> | undefined {
  if (!isPlainObject(v)) {
    ck.errors.push(typeError(path, v, 'object'));
    return undefined;
  }
  const out: Record<string, string> = {};
  let ok = true;
  for (const [k, q] of Object.entries(v)) {
    const p = `${path}[${k}]`;
    if (typeof q !== 'string' && typeof q !== 'number') {
      ck.errors.push(typeError(p, q, 'quantity (string or number)'));
      ok = false;
      continue;
    }
    const fe = quantityFieldError(q, p);
    if (fe) {
      ck.errors.push(fe);
      ok = false;
      continue;
    }
    out[k] = Quantity.parse(q).toString();
  }
  return ok ? out : undefined;
}

interface TemplatedMap {
  key: string;
  tmpl: CompiledTemplate;
}

/**
 * Expand spec.nodes. `origin` is the Scenario document's; problems are
 * reported at spec.nodes[i]... paths. Returns the nodes in group order.
 */
export function expandNodeGroups(groups: unknown[], scenarioKubelet: unknown, origin: Origin, rep: Reporter): LoadedObject[] {
  const out: LoadedObject[] = [];
  // First the total, so that nothing is built for input over the limit.
  let total = 0;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    const c = isPlainObject(g) ? (g['count'] ?? 1) : 0;
    if (typeof c !== 'number' || !Number.isSafeInteger(c) || c < 0 || c > MAX_GROUP_COUNT) continue;
    total += c;
    if (total > MAX_TOTAL_NODES) {
      rep.fields(origin, [{ path: `spec.nodes[${gi}].count`, type: 'Invalid', value: c, detail: `the node groups would total ${total} nodes, more than ksim's limit of ${MAX_TOTAL_NODES} for one scenario` }]);
      return out;
    }
  }
  groups.forEach((g, gi) => {
    const base = `spec.nodes[${gi}]`;
    const ck = new ShapeChecker();
    const errs = ck.errors;
    const group = ck.object(g, base, GROUP_FIELDS, ['capacity']);
    if (!group) {
      rep.fields(origin, errs);
      return;
    }
    const count = group['count'] === undefined ? 1 : ck.int(group['count'], `${base}.count`, 0);
    if (count !== undefined && count > MAX_GROUP_COUNT) errs.push({ path: `${base}.count`, type: 'Invalid', value: count, detail: `must be less than or equal to ${MAX_GROUP_COUNT}` });
    const namePrefix = group['namePrefix'] === undefined ? undefined : ck.string(group['namePrefix'], `${base}.namePrefix`);
    const nameText = group['name'] === undefined ? undefined : ck.string(group['name'], `${base}.name`);
    if (group['name'] !== undefined && group['namePrefix'] !== undefined) {
      errs.push({ path: `${base}.namePrefix`, type: 'Forbidden', detail: 'may not be set when name is set' });
    }
    const compile = (text: string, path: string): CompiledTemplate | undefined => {
      try {
        return compileTemplate(text);
      } catch (e) {
        if (e instanceof TemplateError) errs.push({ path, type: 'Invalid', value: text, detail: `template: ${e.message}` });
        else throw e;
        return undefined;
      }
    };
    const nameTmpl = nameText !== undefined ? compile(nameText, `${base}.name`) : undefined;
    const templatedMap = (field: 'labels' | 'annotations'): TemplatedMap[] | undefined => {
      if (group[field] === undefined) return [];
      const m = ck.stringMap(group[field], `${base}.${field}`);
      if (!m) return undefined;
      const out: TemplatedMap[] = [];
      for (const [k, v] of Object.entries(m)) {
        const t = compile(v, `${base}.${field}[${k}]`);
        if (t) out.push({ key: k, tmpl: t });
      }
      return out;
    };
    const labels = templatedMap('labels');
    const annotations = templatedMap('annotations');
    const capacity = group['capacity'] === undefined ? undefined : quantityMap(ck, group['capacity'], `${base}.capacity`);
    const allocatable = group['allocatable'] === undefined ? undefined : quantityMap(ck, group['allocatable'], `${base}.allocatable`);
    let taints: Array<{ raw: Plain; value?: CompiledTemplate }> | undefined = [];
    if (group['taints'] !== undefined) {
      const list = ck.list(group['taints'], `${base}.taints`);
      if (!list) taints = undefined;
      else
        list.forEach((t, ti) => {
          const tp = `${base}.taints[${ti}]`;
          const o = ck.object(t, tp, ['key', 'value', 'effect', 'timeAdded']);
          if (!o || !taints) return;
          const value = typeof o['value'] === 'string' ? compile(o['value'], `${tp}.value`) : undefined;
          taints.push({ raw: o, ...(value ? { value } : {}) });
        });
    }
    // Kubelet configuration: the scenario-wide one overlaid by the group's.
    let kubelet: KubeletConfiguration | undefined;
    let groupKubelet: Plain | undefined;
    if (group['kubelet'] !== undefined) {
      const kErrs = validateKubeletConfiguration(group['kubelet'], `${base}.kubelet`);
      errs.push(...kErrs);
      if (kErrs.length === 0 && isPlainObject(group['kubelet'])) groupKubelet = group['kubelet'];
    }
    const merged = mergeConfig(isPlainObject(scenarioKubelet) ? scenarioKubelet : {}, groupKubelet ?? {});
    try {
      kubelet = defaultKubeletConfiguration(merged as Partial<KubeletConfiguration>);
    } catch (e) {
      errs.push({ path: `${base}.kubelet`, type: 'Invalid', value: undefined, detail: e instanceof Error ? e.message : String(e) });
    }
    let numa: Record<string, string> | undefined = {};
    if (group['numa'] !== undefined && capacity) {
      const r = numaAnnotations(group['numa'], `${base}.numa`, capacity);
      errs.push(...r.errors);
      numa = r.errors.length ? undefined : r.annotations;
    }
    // Accepted KubeletConfiguration fields ksim does not model, and policies that cannot act here (src/kubelet/configFields.ts).
    for (const w of kubeletConfigWarnings(groupKubelet, `${base}.kubelet`, { hasNumaLayout: group['numa'] !== undefined })) rep.warn(`${origin.file}: ${w}`);
    if (group['numa'] === undefined) for (const w of inheritedPolicyWarnings(scenarioKubelet, groupKubelet, base)) rep.warn(`${origin.file}: ${w}`);
    if (errs.length > 0 || count === undefined || !capacity || !labels || !annotations || !taints || !kubelet || numa === undefined) {
      rep.fields(origin, errs);
      return;
    }
    if (nameText !== undefined && !nameTmpl) return;
    if (capacity['pods'] === undefined) capacity['pods'] = podCapacity(capacity, kubelet);
    let alloc: Record<string, string>;
    if (allocatable) alloc = allocatable;
    else {
      try {
        alloc = computeAllocatable(capacity, kubelet);
      } catch (e) {
        rep.add(origin, `${base}.capacity`, `cannot compute allocatable: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
    }
    const prefix = namePrefix ?? 'node';
    const mapPath = (p: string): string => nodePathToGroupPath(base, nameText !== undefined ? 'name' : 'namePrefix', p);
    for (let index = 0; index < count; index++) {
      const vars = { index, count };
      let node: KObject;
      try {
        const name = nameTmpl ? nameTmpl.render(vars) : `${prefix}-${index}`;
        // The labels a registering kubelet sets (stable and, still in v1.31, beta os/arch).
        const nodeLabels: Record<string, string> = { [LabelArchBeta]: 'amd64', [LabelOSBeta]: 'linux', [LabelArchStable]: 'amd64', [LabelHostname]: name, [LabelOSStable]: 'linux' };
        for (const l of labels) nodeLabels[l.key] = l.tmpl.render(vars);
        const nodeAnnotations: Record<string, string> = { ...numa };
        for (const a of annotations) nodeAnnotations[a.key] = a.tmpl.render(vars);
        if (groupKubelet) nodeAnnotations[KUBELET_CONFIG_ANNOTATION] = JSON.stringify(groupKubelet);
        const nodeTaints = taints.map((t) => (t.value ? { ...t.raw, value: t.value.render(vars) } : { ...t.raw }));
        const n: Node = {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name, labels: nodeLabels, ...(Object.keys(nodeAnnotations).length ? { annotations: nodeAnnotations } : {}) },
          spec: nodeTaints.length ? { taints: nodeTaints as unknown as Taint[] } : {},
          status: { capacity: { ...capacity }, allocatable: { ...alloc } },
        };
        node = n as unknown as KObject;
      } catch (e) {
        if (!(e instanceof TemplateError)) throw e;
        rep.add(origin, base, `template: ${e.message} (node index ${index})`);
        return;
      }
      const nodeOrigin: Origin = { ...origin, object: `Node ${node.metadata.name} from ${base}`, basePath: '', mapPath };
      const copy = cloneJson(node);
      let nodeErrs: FieldError[];
      try {
        applyDefaults(copy);
        nodeErrs = validateObject(copy);
      } catch (e) {
        rep.add(nodeOrigin, '', `cannot validate the node: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (nodeErrs.length > 0) {
        // Report the first failing node of the group only: the rest are almost always the same mistake.
        rep.fields(nodeOrigin, nodeErrs);
        return;
      }
      out.push({ object: node, origin: nodeOrigin });
    }
  });
  return out;
}

/** Map a generated Node's field path back to the node group's field it came from. */
function nodePathToGroupPath(base: string, nameField: string, p: string): string {
  const map: Array<[string, string]> = [
    ['metadata.name', nameField],
    ['metadata.labels', 'labels'],
    ['metadata.annotations', 'annotations'],
    ['spec.taints', 'taints'],
    ['status.capacity', 'capacity'],
    ['status.allocatable', 'allocatable'],
  ];
  for (const [from, to] of map) {
    if (p === from || p.startsWith(`${from}[`) || p.startsWith(`${from}.`)) return joinPath(`${base}.${to}`, p.slice(from.length).replace(/^\./, ''));
  }
  return base;
}
