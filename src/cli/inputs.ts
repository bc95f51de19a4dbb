/**
 * The input files of run, validate and explain: the positional FILEs plus
 * `--config FILE`, a KubeSchedulerConfiguration (or KubeletConfiguration) file
 * as kube-scheduler's own --config takes it. The loader recognises those
 * documents by apiVersion and kind wherever they appear, so --config is the
 * familiar spelling of "one more input file".
 */
import type { ParsedArgs } from './command.ts';
import { UsageError } from './io.ts';
import { EMULATABLE_VERSIONS, FeatureGateError, KUBERNETES_VERSION, normalizeEmulatedVersion, parseFeatureGateFlag, settingProblem } from '../api/featureGates.ts';

export const CONFIG_OPTION_HELP = `  --config FILE        A KubeSchedulerConfiguration (kubescheduler.config.k8s.io/v1)
                       or KubeletConfiguration file, as kube-scheduler --config
                       and kubelet --config read them (a document of either kind
                       in any FILE works too)`;

export function inputFiles(args: ParsedArgs, command: string): string[] {
  const files = [...args.positionals];
  if (files.length === 0) throw new UsageError('at least one FILE is required', command);
  const config = args.values['config'];
  if (typeof config === 'string') {
    if (config === '') throw new UsageError('--config needs a file', command);
    files.push(config);
  }
  return files;
}

export const VERSION_OPTIONS_HELP = `  --emulated-version 1.N
                       Emulate Kubernetes 1.N (${EMULATABLE_VERSIONS.join(', ')}; default ${KUBERNETES_VERSION}):
                       its feature gate defaults and behaviour (overrides
                       spec.config.emulatedVersion)
  --feature-gates A=true,B=false
                       Feature gate settings (merged over spec.config.featureGates)`;

/** --emulated-version and --feature-gates, checked as the components check them at start-up. */
export function versionOptions(args: ParsedArgs, command: string): { emulatedVersion?: string; featureGates?: Record<string, boolean> } {
  const out: { emulatedVersion?: string; featureGates?: Record<string, boolean> } = {};
  const version = args.values['emulated-version'];
  try {
    if (typeof version === 'string') out.emulatedVersion = normalizeEmulatedVersion(version);
    const gates = args.values['feature-gates'];
    if (typeof gates === 'string') {
      const settings = parseFeatureGateFlag(gates);
      for (const [name, value] of Object.entries(settings)) {
        const problem = settingProblem(name, value, out.emulatedVersion ?? KUBERNETES_VERSION);
        if (problem) throw new FeatureGateError(problem);
      }
      out.featureGates = settings;
    }
  } catch (e) {
    if (e instanceof FeatureGateError) throw new UsageError(e.message, command);
    throw e;
  }
  return out;
}

/** The option definitions of versionOptions, for a command's `options`. */
export const VERSION_OPTION_DEFS = {
  'emulated-version': { type: 'string' },
  'feature-gates': { type: 'string' },
} as const;
