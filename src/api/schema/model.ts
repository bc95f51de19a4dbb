/**
 * The compiled form of ksim's structural schemas: type tables written in a
 * tiny reference language (see scripts/gen-schema.ts) turned once, at module
 * load, into a graph of nodes the validator walks without any string parsing.
 *
 * Follows the wire types of the Go structs behind upstream's OpenAPI spec
 * (k8s.io/api v1.31+): what a JSON/YAML value may be for each field.
 */

/**
 * Wire scalars. `quantity` is resource.Quantity (its UnmarshalJSON takes a
 * string or a bare number); `int-or-string` is intstr.IntOrString (int32 or
 * string); `int64-or-string` is component-base's TimeOrMetaDuration (a
 * duration string or nanoseconds); `any` is runtime.RawExtension / free JSON.
 */
export type Scalar =
  | 'string'
  | 'boolean'
  | 'int32'
  | 'int64'
  | 'number'
  | 'quantity'
  | 'int-or-string'
  | 'int64-or-string'
  | 'any';

const SCALARS: ReadonlySet<string> = new Set<Scalar>([
  'string',
  'boolean',
  'int32',
  'int64',
  'number',
  'quantity',
  'int-or-string',
  'int64-or-string',
  'any',
]);

export type SchemaNode =
  | { readonly k: 'scalar'; readonly s: Scalar }
  | { readonly k: 'list'; readonly item: SchemaNode }
  | { readonly k: 'map'; readonly value: SchemaNode }
  | { readonly k: 'object'; readonly type: ObjectType };

export interface ObjectType {
  readonly name: string;
  readonly fields: Map<string, SchemaNode>;
  /** Field names that must be present (non-null), in declaration order. */
  readonly required: string[];
}

/** A type table: type name -> field -> ref ("!" prefix = required). */
export type TypeTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Thrown for a malformed table or an unknown type name: a programming error, not bad user input. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/**
 * A set of compiled types. `fallback` resolves names this set does not
 * declare (hand-written component-config tables reuse core/v1 types).
 */
export class SchemaSet {
  private readonly types = new Map<string, ObjectType>();
  private readonly scalarNodes = new Map<string, SchemaNode>();

  constructor(table: TypeTable, private readonly fallback?: SchemaSet) {
    // Two passes so that types may refer to each other in any order.
    for (const name of Object.keys(table)) {
      this.types.set(name, { name, fields: new Map(), required: [] });
    }
    for (const [name, fields] of Object.entries(table)) {
      const t = this.types.get(name)!;
      for (const [field, rawRef] of Object.entries(fields)) {
        const required = rawRef.startsWith('!');
        t.fields.set(field, this.node(required ? rawRef.slice(1) : rawRef));
        if (required) t.required.push(field);
      }
    }
  }

  /** The named type, looking in the fallback set too. */
  lookup(name: string): ObjectType | undefined {
    return this.types.get(name) ?? this.fallback?.lookup(name);
  }

  /** Compile a ref ("[]Container", "{}quantity", "int32", "PodSpec"). */
  node(ref: string): SchemaNode {
    if (ref.startsWith('[]')) return { k: 'list', item: this.node(ref.slice(2)) };
    if (ref.startsWith('{}')) return { k: 'map', value: this.node(ref.slice(2)) };
    if (SCALARS.has(ref)) {
      let n = this.scalarNodes.get(ref);
      if (!n) {
        n = { k: 'scalar', s: ref as Scalar };
        this.scalarNodes.set(ref, n);
      }
      return n;
    }
    const type = this.lookup(ref);
    if (!type) throw new SchemaError(`unknown schema type "${ref}"`);
    return { k: 'object', type };
  }

  /** Every type name this set declares itself (sorted). */
  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
