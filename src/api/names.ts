/**
 * Name validators and name generation, following
 * k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label, IsDNS1123Subdomain,
 * IsQualifiedName, RegexError, MaxLenError), k8s.io/apimachinery/pkg/api/validation
 * (NameIsDNSSubdomain / NameIsDNSLabel with generateName prefixes, maskTrailingDash)
 * and k8s.io/apiserver/pkg/storage/names (SimpleNameGenerator), v1.35 (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes).
 *
 * Every function returns upstream's message strings, word for word, so callers can
 * wrap them in `field.Invalid(path, value, msg)` exactly as the API server does.
 */

export const DNS1123LabelMaxLength = 63;
export const DNS1123SubdomainMaxLength = 253;
export const QualifiedNameMaxLength = 63;

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123LabelErrMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123SubdomainErrorMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035LabelErrMsg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
export const QualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameFmt = QualifiedNameFmt;
const qualifiedNameErrMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);

/** Upstream's validation.MaxLenError. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** Upstream's validation.EmptyError. */
export function emptyError(): string {
  return 'must be non-empty';
}

/** Upstream's validation.InclusiveRangeError. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/**
 * Upstream's validation.RegexError. Note the quirk kept on purpose: each example is
 * followed by ", " and joined with " or ", giving "(e.g. 'my-name',  or '123-abc', ...".
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((ex, i) => {
    if (i > 0) out += ' or ';
    out += `'${ex}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

/** Go's len() counts bytes; names are ASCII when valid, but count bytes to match upstream on any input. */
export function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRe.test(value)) {
    // A valid subdomain that is not a valid label can only differ by its dots.
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(dns1123LabelErrMsg, dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

export function isDNS1123Subdomain(value: string): string[] {
  return dns1123SubdomainIsValid(value) ? [] : dns1123SubdomainErrors(value);
}

/**
 * Whether dns1123SubdomainErrors(value) is empty, by one scan instead of the length count and the regular
 * expression (every created object's name is checked): at most 253 characters, dot-separated labels that
 * are non-empty, made of [-a-z0-9] and start and end alphanumeric. Only ASCII passes, so characters count as bytes.
 */
export function dns1123SubdomainIsValid(value: string): boolean {
  const n = value.length;
  if (n === 0 || n > DNS1123SubdomainMaxLength) return false;
  let prev = 0x2e; // '.': the first character starts a label
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (c === 0x2e) {
      if (prev === 0x2e || prev === 0x2d) return false; // an empty label, or one ending in '-'
    } else if (c === 0x2d) {
      if (prev === 0x2e) return false; // a label starting with '-'
    } else if (!alnum) return false;
    prev = c;
  }
  return prev !== 0x2d && prev !== 0x2e; // the last label ends alphanumeric (and is not empty)
}

/** IsDNS1123Subdomain's messages (the full check; isDNS1123Subdomain runs it only for an invalid name). */
export function dns1123SubdomainErrors(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(dns1123SubdomainErrorMsg, dns1123SubdomainFmt, 'example.com'));
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(dns1035LabelErrMsg, dns1035LabelFmt, 'my-name', 'abc-123'));
  return errs;
}

/** Upstream's IsQualifiedName: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63 chars. */
export function isQualifiedName(value: string): string[] {
  // A copy is returned, so a caller may keep or change its list.
  const known = knownQualifiedNameErrors(value);
  return known.length === 0 ? [] : known.slice();
}

/**
 * Whether isQualifiedName(value) would report nothing, without a list per call: label keys and
 * finalizers of every created object are checked, and almost all are valid (the list each check
 * returned was garbage).
 */
export function isValidQualifiedName(value: string): boolean {
  return knownQualifiedNameErrors(value).length === 0;
}

/**
 * Remembered by the text (a function of it alone): every pod's label keys were split and matched
 * again. The list is shared: read only.
 */
function knownQualifiedNameErrors(value: string): readonly string[] {
  if (value.length > 512) return qualifiedNameErrorsOf(value); // not kept: bounded memory
  let known = qualifiedNameErrors.get(value);
  if (known === undefined) {
    known = qualifiedNameErrorsOf(value);
    if (qualifiedNameErrors.size >= 4096) qualifiedNameErrors.clear();
    qualifiedNameErrors.set(value, known);
  }
  return known;
}

const qualifiedNameErrors = new Map<string, readonly string[]>();

function qualifiedNameErrorsOf(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0]!;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    errs.push(
      `a qualified name ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    );
    return errs;
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QualifiedNameMaxLength) errs.push(`name part ${maxLenError(QualifiedNameMaxLength)}`);
  if (!qualifiedNameRe.test(name)) {
    errs.push(`name part ${regexError(qualifiedNameErrMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/**
 * apimachinery's maskTrailingDash: a generateName prefix may end in '-', so the
 * validator swaps the tail for an alphanumeric before checking. Upstream drops two
 * characters and appends "a"; we keep that quirk.
 */
export function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return `${name.slice(0, name.length - 2)}a`;
  return name;
}

/** A ValidateNameFunc: (name, prefix) => messages. `prefix` is true for generateName. */
export type NameValidator = (name: string, prefix: boolean) => string[];

/** NameIsDNSSubdomain: most object names (Pod, Node, Deployment, PriorityClass ...). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** NameIsDNSLabel: Namespace, Service (via DNS-1035 for Service: see nameIsDNS1035Label). */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** NameIsDNS1035Label: Service names. */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);

/**
 * ValidateNamespaceName / ValidateNodeName / ValidatePriorityClassName etc. are
 * these same functions under other names upstream.
 */
export const validateNamespaceName = nameIsDNSLabel;
export const validateNodeName = nameIsDNSSubdomain;
export const validatePriorityClassName = nameIsDNSSubdomain;

/** Characters SimpleNameGenerator draws from (k8s.io/apimachinery/pkg/util/rand: no vowels, no confusables). */
export const GENERATED_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export const randomLength = 5;
export const maxNameLength = 63;
export const maxGeneratedNameLength = maxNameLength - randomLength;

/**
 * SimpleNameGenerator.GenerateName: the base is truncated to 58 characters, then
 * the 5-character random suffix appended. The simulation passes the suffix in
 * (drawn from its seeded RNG) so this stays pure.
 */
export function generateName(base: string, randomSuffix: string): string {
  const b = base.length > maxGeneratedNameLength ? base.slice(0, maxGeneratedNameLength) : base;
  return `${b}${randomSuffix}`;
}

/**
 * Draw a suffix from `next()` (uniform in [0,1)), as utilrand.String does with its
 * alphabet. Pure given the RNG.
 */
export function randomNameSuffix(next: () => number, n: number = randomLength): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const idx = Math.min(GENERATED_NAME_ALPHABET.length - 1, Math.floor(next() * GENERATED_NAME_ALPHABET.length));
    s += GENERATED_NAME_ALPHABET[idx]!;
  }
  return s;
}
