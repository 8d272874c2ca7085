// The SCIM-style expression language Okta accepts in `search=` and `filter=` (users, groups, apps, System
// Log, OIG lists): `profile.email eq "a@b.com" and (status eq "ACTIVE" or status eq "SUSPENDED")`.
// Parsed once into a tree, evaluated against plain objects; operators and values are case-insensitive.

export type ScimOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'pr' | 'gt' | 'ge' | 'lt' | 'le';
type Literal = string | number | boolean | null;

export type ScimNode =
  | { kind: 'and' | 'or'; left: ScimNode; right: ScimNode }
  | { kind: 'not'; expr: ScimNode }
  | { kind: 'cmp'; attr: string; op: ScimOp; value: Literal };

export class ScimFilterError extends Error {}

const OPS = new Set<ScimOp>(['eq', 'ne', 'co', 'sw', 'ew', 'pr', 'gt', 'ge', 'lt', 'le']);

type Token =
  { t: 'word'; v: string } | { t: 'string'; v: string } | { t: 'num'; v: number } | { t: '(' } | { t: ')' };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
    } else if (c === '"') {
      let v = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        v += src[i];
        i++;
      }
      if (src[i] !== '"') throw new ScimFilterError('unterminated string');
      i++;
      out.push({ t: 'string', v });
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw new ScimFilterError(`unexpected character ${c}`);
      out.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else {
      const m = /^[A-Za-z_][\w.$:-]*/.exec(src.slice(i));
      if (!m) throw new ScimFilterError(`unexpected character ${c}`);
      out.push({ t: 'word', v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

export function parseScimFilter(src: string): ScimNode {
  const tokens = tokenize(src);
  let pos = 0;
  const peekWord = (): string | undefined => {
    const t = tokens[pos];
    return t?.t === 'word' ? t.v.toLowerCase() : undefined;
  };

  const parseOr = (): ScimNode => {
    let left = parseAnd();
    while (peekWord() === 'or') {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): ScimNode => {
    let left = parseFactor();
    while (peekWord() === 'and') {
      pos++;
      left = { kind: 'and', left, right: parseFactor() };
    }
    return left;
  };
  const parseFactor = (): ScimNode => {
    const t = tokens[pos];
    if (!t) throw new ScimFilterError('unexpected end of filter');
    if (t.t === 'word' && t.v.toLowerCase() === 'not') {
      pos++;
      return { kind: 'not', expr: parseFactor() };
    }
    if (t.t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t !== ')') throw new ScimFilterError('missing )');
      pos++;
      return inner;
    }
    if (t.t !== 'word') throw new ScimFilterError('expected an attribute name');
    pos++;
    const opTok = tokens[pos];
    if (opTok?.t !== 'word' || !OPS.has(opTok.v.toLowerCase() as ScimOp))
      throw new ScimFilterError(`expected an operator after ${t.v}`);
    const op = opTok.v.toLowerCase() as ScimOp;
    pos++;
    if (op === 'pr') return { kind: 'cmp', attr: t.v, op, value: null };
    const v = tokens[pos];
    pos++;
    if (v?.t === 'string' || v?.t === 'num') return { kind: 'cmp', attr: t.v, op, value: v.v };
    if (v?.t === 'word' && ['true', 'false', 'null'].includes(v.v.toLowerCase())) {
      const w = v.v.toLowerCase();
      return { kind: 'cmp', attr: t.v, op, value: w === 'null' ? null : w === 'true' };
    }
    throw new ScimFilterError(`expected a value after ${t.v} ${op}`);
  };

  const tree = parseOr();
  if (pos !== tokens.length) throw new ScimFilterError('unexpected trailing input');
  return tree;
}

/** Every attribute path the expression reads, so callers can restrict `filter=` to its documented fields. */
export function scimAttributes(node: ScimNode): string[] {
  if (node.kind === 'cmp') return [node.attr];
  if (node.kind === 'not') return scimAttributes(node.expr);
  return [...scimAttributes(node.left), ...scimAttributes(node.right)];
}

/** Values at a dotted path; arrays fan out so `target.id eq "x"` matches any target. */
function valuesAt(obj: unknown, path: string[]): unknown[] {
  if (path.length === 0) return Array.isArray(obj) ? obj : [obj];
  if (Array.isArray(obj)) return obj.flatMap((o) => valuesAt(o, path));
  if (obj === null || typeof obj !== 'object') return [];
  const [head, ...rest] = path;
  return valuesAt((obj as Record<string, unknown>)[head!], rest);
}

function compare(actual: unknown, op: ScimOp, expected: Literal): boolean {
  if (op === 'pr') return actual !== undefined && actual !== null && actual !== '';
  if (expected === null) return op === 'eq' ? actual == null : op === 'ne' ? actual != null : false;
  if (actual === undefined || actual === null) return op === 'ne';
  if (typeof expected === 'number' || typeof expected === 'boolean') {
    const a = typeof expected === 'number' ? Number(actual) : actual;
    switch (op) {
      case 'eq':
        return a === expected;
      case 'ne':
        return a !== expected;
      case 'gt':
        return (a as number) > (expected as number);
      case 'ge':
        return (a as number) >= (expected as number);
      case 'lt':
        return (a as number) < (expected as number);
      case 'le':
        return (a as number) <= (expected as number);
      default:
        return false;
    }
  }
  if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
  const a = String(actual).toLowerCase();
  const e = expected.toLowerCase();
  switch (op) {
    case 'eq':
      return a === e;
    case 'ne':
      return a !== e;
    case 'co':
      return a.includes(e);
    case 'sw':
      return a.startsWith(e);
    case 'ew':
      return a.endsWith(e);
    // ISO-8601 UTC timestamps compare correctly as strings.
    case 'gt':
      return a > e;
    case 'ge':
      return a >= e;
    case 'lt':
      return a < e;
    case 'le':
      return a <= e;
  }
  return false;
}

export function evaluateScim(node: ScimNode, obj: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateScim(node.left, obj) && evaluateScim(node.right, obj);
    case 'or':
      return evaluateScim(node.left, obj) || evaluateScim(node.right, obj);
    case 'not':
      return !evaluateScim(node.expr, obj);
    case 'cmp': {
      const values = valuesAt(obj, node.attr.split('.'));
      if (node.op === 'ne') return values.every((v) => compare(v, 'ne', node.value));
      if (values.length === 0) return compare(undefined, node.op, node.value);
      return values.some((v) => compare(v, node.op, node.value));
    }
  }
}
