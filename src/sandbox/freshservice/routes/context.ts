// What every sandbox router shares: the store, the public URL (known only after listen), and the small
// helpers for ids in paths, 201 + Location answers and 405 on known paths.
import type { Request, Response } from 'express';
import type { FreshserviceStore } from '../store';
import { FsApiError, errorForStatus, notFound } from '../wire';

export type SandboxContext = {
  store: FreshserviceStore;
  publicUrl: () => string;
};

/** A numeric path id; anything else is a 404 (Freshservice has no such record). */
export function pathId(req: Request, name: string): number {
  const raw = req.params[name];
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** 201 with an absolute `Location` and the named envelope. */
export function created(res: Response, ctx: SandboxContext, location: string, body: unknown): void {
  res.setHeader('Location', `${ctx.publicUrl()}${location}`);
  res.status(201).json(body);
}

export function methodNotAllowed(): never {
  throw errorForStatus(405);
}

/** `include=a,b` checked against what the endpoint supports. */
export function readInclude<T extends string>(raw: unknown, allowed: readonly T[]): T[] {
  if (raw === undefined || raw === '') return [];
  if (typeof raw !== 'string')
    throw new FsApiError(400, 'Validation failed', [
      { field: 'include', message: 'It should be a String', code: 'datatype_mismatch' },
    ]);
  const parts = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of parts) {
    if (!(allowed as readonly string[]).includes(p)) {
      throw new FsApiError(400, 'Validation failed', [
        {
          field: 'include',
          message: `It should be one of these values: '${allowed.join(',')}'`,
          code: 'invalid_value',
        },
      ]);
    }
  }
  return parts as T[];
}
