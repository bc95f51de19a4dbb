/**
 * PodTopologySpreadArgs, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/apis/config (types_pluginargs.go), v1 defaults
 * (SetDefaults_PodTopologySpreadArgs: defaultingType System) and
 * validation (ValidatePodTopologySpreadArgs).
 */
import type { TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { FieldErrorList, type FieldError } from '../../../api/errors.ts';
import { isQualifiedName } from '../../../api/names.ts';
import { decodeArgs, join, stringField } from '../helper/args.ts';

export type DefaultingType = 'System' | 'List';

export interface PodTopologySpreadArgs {
  defaultConstraints: TopologySpreadConstraint[];
  defaultingType: DefaultingType;
}

/** Decode, default and validate; throws FieldErrorList. `path` prefixes field paths (e.g. "profiles[0].pluginConfig[2].args"). */
export function podTopologySpreadArgs(raw: unknown, path = ''): PodTopologySpreadArgs {
  const obj = decodeArgs(raw, 'PodTopologySpreadArgs', ['defaultConstraints', 'defaultingType'], path);
  const errs: FieldError[] = [];
  const defaultingType = stringField(obj, 'defaultingType', '', path, errs) || 'System';
  let defaultConstraints: TopologySpreadConstraint[] = [];
  const dc = obj['defaultConstraints'];
  if (dc !== undefined && dc !== null) {
    if (!Array.isArray(dc)) errs.push({ path: join(path, 'defaultConstraints'), type: 'TypeInvalid', value: dc, detail: 'must be a list' });
    else defaultConstraints = dc as TopologySpreadConstraint[];
  }
  if (errs.length === 0) errs.push(...validatePodTopologySpreadArgs({ defaultConstraints, defaultingType: defaultingType as DefaultingType }, path));
  if (errs.length > 0) throw new FieldErrorList(errs);
  return { defaultConstraints, defaultingType: defaultingType as DefaultingType };
}

/** upstream ValidatePodTopologySpreadArgs. */
export function validatePodTopologySpreadArgs(args: PodTopologySpreadArgs, path = ''): FieldError[] {
  const errs: FieldError[] = [];
  const dtPath = join(path, 'defaultingType');
  if (args.defaultingType !== 'System' && args.defaultingType !== 'List') {
    errs.push({ path: dtPath, type: 'NotSupported', value: args.defaultingType, detail: 'supported values: "System", "List"' });
  } else if (args.defaultingType === 'System' && args.defaultConstraints.length > 0) {
    errs.push({ path: dtPath, type: 'Invalid', value: args.defaultingType, detail: 'when .defaultConstraints are not empty' });
  }
  const dcPath = join(path, 'defaultConstraints');
  args.defaultConstraints.forEach((c, i) => {
    const p = `${dcPath}[${i}]`;
    if (!(typeof c.maxSkew === 'number' && c.maxSkew > 0)) errs.push({ path: `${p}.maxSkew`, type: 'Invalid', value: c.maxSkew ?? 0, detail: 'not in valid range (0, inf)' });
    const tk = c.topologyKey ?? '';
    if (tk.length === 0) errs.push({ path: `${p}.topologyKey`, type: 'Required', detail: 'can not be empty' });
    else for (const msg of isQualifiedName(tk)) errs.push({ path: `${p}.topologyKey`, type: 'Invalid', value: tk, detail: msg });
    const wu = c.whenUnsatisfiable ?? '';
    if (wu.length === 0) errs.push({ path: `${p}.whenUnsatisfiable`, type: 'Required', detail: 'can not be empty' });
    else if (wu !== 'DoNotSchedule' && wu !== 'ScheduleAnyway') {
      errs.push({ path: `${p}.whenUnsatisfiable`, type: 'NotSupported', value: wu, detail: 'supported values: "DoNotSchedule", "ScheduleAnyway"' });
    }
    if (c.labelSelector !== undefined && c.labelSelector !== null) {
      errs.push({ path: `${p}.labelSelector`, type: 'Forbidden', detail: 'constraint must not define a selector, as they deduced for each pod' });
    }
    for (let j = 0; j < i; j++) {
      const o = args.defaultConstraints[j]!;
      if (o.topologyKey === c.topologyKey && o.whenUnsatisfiable === c.whenUnsatisfiable) {
        errs.push({ path: `${dcPath}[${i}]`, type: 'Duplicate', value: `{${c.topologyKey}, ${c.whenUnsatisfiable}}`, detail: '' });
        break;
      }
    }
  });
  return errs;
}
