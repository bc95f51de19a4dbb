/**
 * API errors as kube-apiserver reports them, following
 * k8s.io/apimachinery/pkg/api/errors (v1.31): NewAlreadyExists, NewNotFound,
 * NewConflict, NewInvalid, NewForbidden, NewBadRequest, NewTooManyRequests,
 * NewInternalError. Messages are rendered with the qualified resource
 * (`pods`, `deployments.apps`) or qualified kind (`Pod`, `Deployment.apps`)
 * exactly as upstream's GroupResource.String() / GroupKind.String().
 *
 * Also SimulationLimitError: the engine's guard rails (not an API error).
 */
import type { ApiErrorReason } from './types.ts';
import { formatFieldError, type FieldError } from '../api/errors.ts';
import { kindInfo } from '../api/discovery.ts';

/** Thrown when a run exceeds a configured bound (events, events per instant, objects). */
export class SimulationLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationLimitError';
  }
}

/**
 * The lowercase plural resource name of a kind ("Pod" -> "pods",
 * "PriorityClass" -> "priorityclasses"). Unknown kinds are guessed like
 * apimachinery's UnsafeGuessKindToResource: "-s" -> "-ses", consonant+"y" -> "-ies", else "+s".
 */
export function resourceName(kind: string): string {
  const known = kindInfo(kind)?.resource;
  if (known) return known;
  const lower = kind.toLowerCase();
  if (lower === '') return lower;
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The API group of a kind: from apiVersion ("apps/v1" -> "apps") when given, else from the table. */
export function groupOf(kind: string, apiVersion?: string): string {
  if (apiVersion !== undefined && apiVersion !== '') {
    const slash = apiVersion.indexOf('/');
    return slash < 0 ? '' : apiVersion.slice(0, slash);
  }
  return kindInfo(kind)?.group ?? '';
}

/** GroupResource.String(): "pods", "deployments.apps". */
export function qualifiedResource(kind: string, apiVersion?: string): string {
  const group = groupOf(kind, apiVersion);
  const res = resourceName(kind);
  return group ? `${res}.${group}` : res;
}

/** GroupKind.String(): "Pod", "Deployment.apps". */
export function qualifiedKind(kind: string, apiVersion?: string): string {
  const group = groupOf(kind, apiVersion);
  return group ? `${kind}.${group}` : kind;
}

/** Go's %q for the names we print (plain strings quote like JSON for printable ASCII). */
function quote(s: string): string {
  return JSON.stringify(s);
}

const CODES: Record<ApiErrorReason, number> = {
  AlreadyExists: 409,
  NotFound: 404,
  Conflict: 409,
  Invalid: 422,
  Forbidden: 403,
  BadRequest: 400,
  TooManyRequests: 429,
  InternalError: 500,
};

export interface ApiErrorDetails {
  kind?: string;
  group?: string;
  name?: string;
  causes?: FieldError[];
}

/** A Kubernetes API error (metav1.Status with reason and HTTP code). */
export class ApiError extends Error {
  constructor(
    readonly reason: ApiErrorReason,
    readonly code: number,
    message: string,
    readonly details?: ApiErrorDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static alreadyExists(kind: string, name: string, apiVersion?: string): ApiError {
    return new ApiError('AlreadyExists', CODES.AlreadyExists, `${qualifiedResource(kind, apiVersion)} ${quote(name)} already exists`, {
      kind: resourceName(kind),
      group: groupOf(kind, apiVersion),
      name,
    });
  }

  static notFound(kind: string, name: string, apiVersion?: string): ApiError {
    return new ApiError('NotFound', CODES.NotFound, `${qualifiedResource(kind, apiVersion)} ${quote(name)} not found`, {
      kind: resourceName(kind),
      group: groupOf(kind, apiVersion),
      name,
    });
  }

  /** NewConflict; `cause` defaults to the optimistic-lock message of the registry store. */
  static conflict(kind: string, name: string, cause: string = OPTIMISTIC_LOCK_MESSAGE, apiVersion?: string): ApiError {
    return new ApiError(
      'Conflict',
      CODES.Conflict,
      `Operation cannot be fulfilled on ${qualifiedResource(kind, apiVersion)} ${quote(name)}: ${cause}`,
      { kind: resourceName(kind), group: groupOf(kind, apiVersion), name },
    );
  }

  /**
   * NewInvalid: `<Kind> "<name>" is invalid: <errors>`, where several errors
   * render as upstream's utilerrors aggregate, "[a, b]" (duplicates dropped),
   * and a single one bare.
   */
  static invalid(kind: string, name: string, errs: FieldError[], apiVersion?: string): ApiError {
    return new ApiError('Invalid', CODES.Invalid, `${qualifiedKind(kind, apiVersion)} ${quote(name)} is invalid: ${aggregate(errs.map(formatFieldError))}`, {
      kind,
      group: groupOf(kind, apiVersion),
      name,
      causes: errs,
    });
  }

  /** NewForbidden: `<resource> "<name>" is forbidden: <reason>` (no name: `<resource> is forbidden: ...`). */
  static forbidden(kind: string, name: string, reason: string, apiVersion?: string): ApiError {
    const res = qualifiedResource(kind, apiVersion);
    const message = name === '' ? `${res} is forbidden: ${reason}` : `${res} ${quote(name)} is forbidden: ${reason}`;
    return new ApiError('Forbidden', CODES.Forbidden, message, { kind: resourceName(kind), group: groupOf(kind, apiVersion), name });
  }

  static badRequest(message: string): ApiError {
    return new ApiError('BadRequest', CODES.BadRequest, message);
  }

  static tooManyRequests(message: string): ApiError {
    return new ApiError('TooManyRequests', CODES.TooManyRequests, message);
  }

  static internalError(cause: string): ApiError {
    return new ApiError('InternalError', CODES.InternalError, `Internal error occurred: ${cause}`);
  }
}

/** The registry store's OptimisticLockErrorMsg. */
export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

/** utilerrors.NewAggregate(...).Error(): one message bare, several as "[a, b]", duplicates dropped. */
export function aggregate(messages: string[]): string {
  const seen = new Set<string>();
  const unique: string[] = [];
  for (const m of messages) {
    if (seen.has(m)) continue;
    seen.add(m);
    unique.push(m);
  }
  if (unique.length === 1) return unique[0]!;
  return `[${unique.join(', ')}]`;
}

export function isApiError(e: unknown, reason?: ApiErrorReason): e is ApiError {
  return e instanceof ApiError && (reason === undefined || e.reason === reason);
}
