// The filter-query grammar Freshservice accepts on `/tickets/filter?query=` and `/requesters?query=`
// (API-CONTRACTS.md §9–10): a double-quoted expression of `field:value`, `field:>value`, `field:<value`
// (on or after / on or before), `~[a|b]:'prefix'` starts-with, AND/OR with parentheses, single-quoted
// strings, numbers, and the `null` keyword. Parsed once into a tree, then evaluated per record.
import { invalidValue } from './wire';

export type FilterValue =
  | { type: 'number'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' };

export type FilterNode =
  | { kind: 'cond'; fields: string[]; op: 'eq' | 'gte' | 'lte' | 'prefix'; value: FilterValue }
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode };

/** What a record yields for a field: a scalar, a list (tags: any element may match), or null. */
export type FieldValue = string | number | boolean | null | undefined | (string | number)[];

export type FilterSpec = {
  /** Fields the endpoint supports; others are a 400. */
  fields: ReadonlySet<string>;
  /** Fields compared as dates or timestamps. */
  dateFields: ReadonlySet<string>;
  /** Custom fields by name (accepted when the account defines them). */
  isCustomField?: (name: string) => boolean;
  maxLength?: number;
};

type Token =
  | { t: 'lparen' | 'rparen' | 'and' | 'or' }
  | { t: 'cond'; fields: string[]; op: 'eq' | 'gte' | 'lte' | 'prefix'; value: FilterValue };

const fail = (message: string) => invalidValue('query', message);

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const readValue = (): FilterValue => {
    ws();
    const ch = src[i];
    if (ch === "'") {
      let out = '';
      i++;
      while (i < src.length && src[i] !== "'") {
        if (src[i] === '\\' && i + 1 < src.length) i++;
        out += src[i];
        i++;
      }
      if (src[i] !== "'") throw fail('Unterminated string literal in query');
      i++;
      return { type: 'string', value: out };
    }
    const m = /^(-?\d+(?:\.\d+)?|null|true|false)(?![\w.])/i.exec(src.slice(i));
    if (!m?.[1]) throw fail(`Expected a value at position ${i + 1}: strings go in single quotes`);
    i += m[1].length;
    const word = m[1].toLowerCase();
    if (word === 'null') return { type: 'null' };
    if (word === 'true' || word === 'false') return { type: 'bool', value: word === 'true' };
    return { type: 'number', value: Number(m[1]) };
  };
  while (true) {
    ws();
    if (i >= src.length) break;
    const ch = src[i]!;
    if (ch === '(' || ch === ')') {
      tokens.push({ t: ch === '(' ? 'lparen' : 'rparen' });
      i++;
      continue;
    }
    const kw = /^(AND|OR)(?=[\s(])/i.exec(src.slice(i));
    if (kw?.[1]) {
      tokens.push({ t: kw[1].toUpperCase() === 'AND' ? 'and' : 'or' });
      i += kw[1].length;
      continue;
    }
    const prefix = /^~\[([\w.|\s]+)\]\s*:/.exec(src.slice(i));
    if (prefix?.[1]) {
      i += prefix[0].length;
      const fields = prefix[1].split('|').map((f) => f.trim());
      const value = readValue();
      if (value.type !== 'string') throw fail('A starts-with search (~[...]) takes a quoted string');
      tokens.push({ t: 'cond', fields, op: 'prefix', value });
      continue;
    }
    const cond = /^([A-Za-z_][\w.]*)\s*:\s*([<>])?/.exec(src.slice(i));
    if (cond?.[1]) {
      i += cond[0].length;
      const op = cond[2] === '>' ? 'gte' : cond[2] === '<' ? 'lte' : 'eq';
      tokens.push({ t: 'cond', fields: [cond[1]], op, value: readValue() });
      continue;
    }
    throw fail(`Unexpected character '${ch}' at position ${i + 1}`);
  }
  return tokens;
}

/** Parses the raw `query` parameter, including its surrounding double quotes. */
export function parseFilterQuery(raw: unknown, spec: FilterSpec): FilterNode {
  if (typeof raw !== 'string' || raw.length < 2 || !raw.startsWith('"') || !raw.endsWith('"')) {
    throw fail('The query should be enclosed in double quotes');
  }
  const src = raw.slice(1, -1);
  if (src.length > (spec.maxLength ?? 512)) throw fail('The query must not exceed 512 characters');
  if (src.trim() === '') throw fail('The query is empty');
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];

  const primary = (): FilterNode => {
    const tok = tokens[pos++];
    if (!tok) throw fail('The query ends unexpectedly');
    if (tok.t === 'lparen') {
      const inner = orExpr();
      if (tokens[pos++]?.t !== 'rparen') throw fail('Unbalanced parentheses in query');
      return inner;
    }
    if (tok.t !== 'cond') throw fail(`Unexpected ${tok.t.toUpperCase()} in query`);
    for (const f of tok.fields) {
      if (!spec.fields.has(f) && !spec.isCustomField?.(f))
        throw fail(`'${f}' is not a supported query field`);
    }
    if (
      tok.op !== 'eq' &&
      tok.op !== 'prefix' &&
      tok.value.type !== 'number' &&
      tok.value.type !== 'string'
    ) {
      throw fail(`:> and :< need a number or a date`);
    }
    return { kind: 'cond', fields: tok.fields, op: tok.op, value: tok.value };
  };
  const andExpr = (): FilterNode => {
    let left = primary();
    while (peek()?.t === 'and') {
      pos++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orExpr = (): FilterNode => {
    let left = andExpr();
    while (peek()?.t === 'or') {
      pos++;
      left = { kind: 'or', left, right: andExpr() };
    }
    return left;
  };
  const tree = orExpr();
  if (pos !== tokens.length) throw fail('Unexpected input after the end of the query');
  return tree;
}

/** A date literal's bounds: a whole day for `YYYY-MM-DD`, one second for a timestamp. */
function dateBounds(value: string): { from: string; to: string } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return { from: `${value}T00:00:00Z`, to: `${value}T23:59:59Z` };
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  const ts = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { from: ts, to: ts };
}

function compareOne(
  actual: string | number | boolean | null | undefined,
  node: Extract<FilterNode, { kind: 'cond' }>,
  isDate: boolean,
): boolean {
  const v = node.value;
  if (v.type === 'null') return actual === null || actual === undefined || actual === '';
  if (actual === null || actual === undefined) return false;
  if (isDate && v.type === 'string') {
    const b = dateBounds(v.value);
    if (!b || typeof actual !== 'string') return false;
    if (node.op === 'gte') return actual >= b.from;
    if (node.op === 'lte') return actual <= b.to;
    return actual >= b.from && actual <= b.to;
  }
  if (node.op === 'prefix') {
    return (
      typeof actual === 'string' &&
      v.type === 'string' &&
      actual.toLowerCase().startsWith(v.value.toLowerCase())
    );
  }
  if (typeof actual === 'number' || v.type === 'number') {
    const a = Number(actual);
    const b = v.type === 'bool' ? Number(v.value) : Number(v.value);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    return node.op === 'gte' ? a >= b : node.op === 'lte' ? a <= b : a === b;
  }
  if (typeof actual === 'boolean' || v.type === 'bool') return String(actual) === String(v.value);
  const a = actual.toLowerCase();
  const b = v.value.toLowerCase();
  return node.op === 'gte' ? a >= b : node.op === 'lte' ? a <= b : a === b;
}

/** Evaluates a parsed query against one record. */
export function matchesFilter(
  node: FilterNode,
  resolve: (field: string) => FieldValue,
  dateFields: ReadonlySet<string>,
): boolean {
  if (node.kind !== 'cond') {
    const left = matchesFilter(node.left, resolve, dateFields);
    if (node.kind === 'and') return left && matchesFilter(node.right, resolve, dateFields);
    return left || matchesFilter(node.right, resolve, dateFields);
  }
  return node.fields.some((field) => {
    const actual = resolve(field);
    const isDate = dateFields.has(field);
    if (Array.isArray(actual)) {
      if (node.value.type === 'null') return actual.length === 0;
      return actual.some((a) => compareOne(a, node, isDate));
    }
    return compareOne(actual, node, isDate);
  });
}
